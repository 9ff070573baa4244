"""The domain model, split by concern and re-exported here."""

from incidents.models.base import Record, RecordManager
from incidents.models.contest import ContestAudience, ContestReasonKind, FigureContest
from incidents.models.integration import (
    Audience,
    Change,
    ChangeAction,
    DeliveryStatus,
    ImportJob,
    ImportStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)
from incidents.models.oversight import AccessLogEntry
from incidents.models.partners import ApiToken, Partner
from incidents.models.provenance import Actor, Citation, Source
from incidents.models.purges import PurgeEntry
from incidents.models.records import Allegation, DetaineeGroup, Figure, Incident
from incidents.models.requests import FailedTokenAttempt, IdempotencyKey
from incidents.models.vocabulary import Term

__all__ = [
    "AccessLogEntry",
    "Actor",
    "Allegation",
    "ApiToken",
    "Audience",
    "Change",
    "ChangeAction",
    "Citation",
    "ContestAudience",
    "ContestReasonKind",
    "DeliveryStatus",
    "DetaineeGroup",
    "FailedTokenAttempt",
    "Figure",
    "FigureContest",
    "IdempotencyKey",
    "ImportJob",
    "ImportStatus",
    "Incident",
    "Partner",
    "PurgeEntry",
    "Record",
    "RecordManager",
    "Source",
    "Term",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookSubscription",
]
