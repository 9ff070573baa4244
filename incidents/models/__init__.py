"""The domain model, split by concern and re-exported here."""

from incidents.models.base import Record, RecordManager
from incidents.models.provenance import Actor, Citation, Source
from incidents.models.records import Allegation, DetaineeGroup, Figure, Incident
from incidents.models.vocabulary import Term

__all__ = [
    "Actor",
    "Allegation",
    "Citation",
    "DetaineeGroup",
    "Figure",
    "Incident",
    "Record",
    "RecordManager",
    "Source",
    "Term",
]
