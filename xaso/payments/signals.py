"""Signals other apps listen to without payments importing them (notify tells the citizen)."""

from django.dispatch import Signal

# Sent inside the transaction that records the money, with `payment` (a Payment, its request
# and dossier loaded): a listener's writes commit or roll back with it.
payment_recorded = Signal()
