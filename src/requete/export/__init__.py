"""Filing-ready exports: deadline, typography, PDF and the Télérecours bundle."""
