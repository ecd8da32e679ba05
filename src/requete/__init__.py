"""requete: draft filings for the French Conseil d'État from a validated YAML library."""

__version__ = "0.1.0"
