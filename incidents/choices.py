"""Closed code lists. The codes are the public contract; labels are for people."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    """Who may read a record: everyone, partner organisations, or only its owners and staff."""

    PUBLIC = "public", _("Public")
    PARTNERS = "partners", _("Partners")
    RESTRICTED = "restricted", _("Restricted")


class ReviewStatus(models.TextChoices):
    """Whether a person has checked a record: records drafted from an article start unreviewed."""

    UNREVIEWED = "unreviewed", _("Unreviewed")
    REVIEWED = "reviewed", _("Reviewed")


class DatePrecision(models.TextChoices):
    """How much of a date the source actually said.

    "mid-November" is stored as the 15th with APPROXIMATE, "in August" as the 1st
    with MONTH: the stored day never claims more than the source did.
    """

    EXACT = "exact", _("Exact day")
    APPROXIMATE = "approximate", _("Approximate")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


class ActorKind(models.TextChoices):
    NGO = "ngo", _("Non-governmental organisation")
    INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental organisation")
    UN_MECHANISM = "un_mechanism", _("UN mechanism")
    STATE_BODY = "state_body", _("State body")
    SECURITY_FORCE = "security_force", _("Security force")
    PERSON = "person", _("Person")
    MEDIA = "media", _("Media")
    GROUP = "group", _("Group")


class SourceKind(models.TextChoices):
    NEWS_ARTICLE = "news_article", _("News article")
    NGO_STATEMENT = "ngo_statement", _("NGO statement")
    NGO_REPORT = "ngo_report", _("NGO report")
    UN_STATEMENT = "un_statement", _("UN statement")
    IGO_STATEMENT = "igo_statement", _("Intergovernmental statement")
    GOVERNMENT_STATEMENT = "government_statement", _("Government statement")
    SOCIAL_MEDIA_POST = "social_media_post", _("Social media post")
    TESTIMONY = "testimony", _("Testimony")


class IncidentKind(models.TextChoices):
    CRACKDOWN = "crackdown", _("Crackdown")
    MASS_DETENTION = "mass_detention", _("Mass detention")
    ARREST = "arrest", _("Arrest")
    RELEASE = "release", _("Release")
    KILLING = "killing", _("Killing")
    PROTEST = "protest", _("Protest")
    OTHER = "other", _("Other")


class Measure(models.TextChoices):
    """What a figure counts."""

    DETAINED = "detained", _("Detained")
    STILL_DETAINED = "still_detained", _("Still detained")
    RELEASED = "released", _("Released")
    KILLED = "killed", _("Killed")
    CHARGED = "charged", _("Charged")
    INJURED = "injured", _("Injured")
    DISAPPEARED = "disappeared", _("Disappeared")


class Qualifier(models.TextChoices):
    """How the source qualified the number ("at least 129", "some 1,800", "several")."""

    EXACT = "exact", _("Exact")
    AT_LEAST = "at_least", _("At least")
    MORE_THAN = "more_than", _("More than")
    APPROXIMATELY = "approximately", _("Approximately")
    AT_MOST = "at_most", _("At most")
    UNSPECIFIED = "unspecified", _("Unspecified")


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
    MIXED = "mixed", _("Mixed")
    UNKNOWN = "unknown", _("Unknown")


class Citizenship(models.TextChoices):
    NATIONAL = "national", _("National")
    FOREIGN = "foreign", _("Foreign")
    DUAL = "dual", _("Dual")
    UNKNOWN = "unknown", _("Unknown")


class Affiliation(models.TextChoices):
    CIVILIAN = "civilian", _("Civilian")
    MILITARY = "military", _("Military")
    UNKNOWN = "unknown", _("Unknown")


class AllegationStatus(models.TextChoices):
    ALLEGED = "alleged", _("Alleged")
    CORROBORATED = "corroborated", _("Corroborated")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    DENIED = "denied", _("Denied")
    DISPUTED = "disputed", _("Disputed")


class Stance(models.TextChoices):
    """What a citation's source does with the assertion it is attached to."""

    ASSERTS = "asserts", _("Asserts")
    CORROBORATES = "corroborates", _("Corroborates")
    ACKNOWLEDGES = "acknowledges", _("Acknowledges")
    DENIES = "denies", _("Denies")
    DISPUTES = "disputes", _("Disputes")


class Vocabulary(models.TextChoices):
    VIOLATION = "violation", _("Violation type")
    METHOD = "method", _("Method")


class TokenScope(models.TextChoices):
    """What a partner's token may do: read what the partner may see, or also write."""

    READ = "read", _("Read")
    WRITE = "write", _("Read and write")
