"""Annuaire des lieux ressources numériques de la Vienne: the plain-Python core (no MkDocs import)."""
