"""Filing-ready exports under the bundle verb: PDF, the inventaire des pièces, Télérecours names
and what still makes a filing a draft."""
