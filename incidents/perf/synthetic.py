"""Synthetic records for load tests and benchmarks: realistic, reproducible and fast.

``generate`` fills the database with nested incidents in a dozen countries, detained
groups, figures reported over time by several disagreeing reporters, citations whose
quotes occur verbatim in their sources' texts, allegations with methods, a mix of
visibilities and a few soft-deleted records, and the change feed rows that describe
them. ``manage.py generate_synthetic`` is its command line.

Reproducible
    Everything is drawn from ``random.Random(seed)``, UUIDs from a second generator
    seeded from the first, in an order that does not depend on the batch size.
    The same seed on an empty database gives the same records (UUIDs, names, values)
    whatever ``--batch-size``, loaded in bulk or not. On a non-empty database the run
    is seeded with the seed and the number of records already there, and actor names
    and source URLs carry a run tag made of both, so runs never clash on unique
    constraints and stay reproducible from the same starting state.

Valid
    Rows satisfy every database constraint, and the rules kept in Python: a figure has
    exactly one asserting citation, a figure's group is in its incident, quotes occur
    verbatim in their source's text, allegations' violation types and methods come
    from their own vocabularies. ``full_clean`` is not called (it would cost more than
    the insert); the tests check the rules on generated data instead.

Fast
    Rows are built as tuples and inserted with ``executemany`` on SQLite and ``COPY``
    on PostgreSQL, bypassing model instances, ``save`` and django-simple-history
    (synthetic records have no history). ``bulk_create`` was not fast enough: building
    and preparing a model instance per row costs more than inserting it. A new model
    field with a constant default is filled in automatically (``Writer``); any other
    new required field stops the run with its name. Primary keys are reserved in blocks first
    (``sqlite_sequence`` on SQLite, the identity sequence on PostgreSQL), so foreign
    keys are known while rows are built, and concurrent writers never collide with
    them. Each batch (whole incident "episodes", about ``batch_size`` figures) is one
    transaction.

Fast in bulk
    What costs most is not building or sending rows but keeping indexes up to date
    row by row: random UUIDs in unique indexes, the change feed's index, the GIN
    search indexes on PostgreSQL. A large run into tables that hold few records yet
    (``wants_bulk``, which also says what was measured) is therefore one transaction
    (``BulkLoad``) that drops the secondary indexes (and on PostgreSQL the foreign
    keys), inserts, rebuilds them from the definitions read from the catalogue, and
    checks the foreign keys (SQLite's ``foreign_key_check``; PostgreSQL validates
    them as they are added back) before it commits. A failure anywhere rolls all of
    it back, DDL included. On SQLite the rows go in a hundred to an ``INSERT OR
    ROLLBACK`` statement, and the indexes are built with a small page cache, whose
    sorter then works in runs that fit the CPU caches (``small_sqlite_cache``).
    Afterwards, on PostgreSQL, the tables written to are analysed: rows added by
    ``COPY`` leave the planner without statistics until then.

    Measured and left out (100k figures unless said; 2 shared cores): SQLite's
    ``journal_mode=MEMORY`` (its gain came from the statement journals that ``OR
    ROLLBACK`` avoids, and a crash would corrupt the file) and ``WAL`` (a 0.4 s
    commit instead of 0.17 s: every page is written twice); ``temp_store=MEMORY``
    (index builds 1.4-1.5 s instead of 1.1 s); a 2 GB page cache at 1M figures (no
    change); ``PRAGMA threads``; more than 100 rows a statement; a second thread
    building rows while the first writes (0.3 s at best, often nothing: the writer
    waits for the GIL after every statement); staging tables copied with ``INSERT
    ... SELECT`` to fill the UUID indexes in order (12 s instead of 7 s for 1.5M
    citations). On
    PostgreSQL: ``synchronous_commit=off`` and a larger ``maintenance_work_mem`` (no
    measurable change; the GIN builds are spent computing their expressions); binary
    ``COPY`` was not worth trying, as formatting the rows takes the client about 0.3 s.

The change feed
    Every record gets one ``created`` change, version 1, whose audience is computed from
    the record's visibility and owner and those of its containers with
    ``incidents.integration.changes.Seen`` (the feed's own rule). A soft-deleted record also gets a
    ``deleted`` change (version 2), and each record hidden with it (a deleted figure's
    citations) an ``updated`` change to nobody, as the feed's cascade writes them. The
    rows are inserted last in each batch's transaction, under the feed's lock
    (``changes.lock_feed``), so sequence order stays commit order (a bulk load, one
    transaction, holds the lock from its first batch to its commit). Webhooks are not
    queued: synthetic data must never be pushed to partners' endpoints.
"""

from __future__ import annotations

import gc
import math
import random
import sqlite3
import time
from bisect import bisect_right
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date
from itertools import accumulate, chain
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from incidents import access
from incidents.choices import (
    Affiliation,
    AllegationStatus,
    Citizenship,
    DatePrecision,
    IncidentKind,
    Measure,
    Qualifier,
    Sex,
    SourceKind,
    Stance,
    Visibility,
    Vocabulary,
)
from incidents.integration.changes import NOBODY, RESOURCES, Seen, lock_feed
from incidents.models import (
    Actor,
    Allegation,
    Audience,
    Change,
    ChangeAction,
    Citation,
    DetaineeGroup,
    Figure,
    Incident,
    Partner,
    Source,
    Term,
)
from incidents.models.records import MAX_VALUE
from incidents.writes import contest

PARTNER_NAMES = ("Synthetic partner 1", "Synthetic partner 2", "Synthetic partner 3")

# Shares of visibilities (the rest is restricted) and of soft-deleted records.
PUBLIC_SHARE = 0.80
PARTNERS_SHARE = 0.15
DELETED_SHARE = {"group": 0.005, "figure": 0.005, "allegation": 0.005, "citation": 0.01}
PARTNER_OWNED_TREES = 0.2  # incidents (with everything in them) created by a partner
SECOND_CITATION = 0.25  # figures that another source corroborates, disputes or denies
SHARED_SHARE = PUBLIC_SHARE + PARTNERS_SHARE
EPISODE = 1000  # at most this many figures share one set of sources
UUID_CHUNK = 1024  # UUIDs drawn at once (a constant: the stream must not depend on batches)
ID_CHUNK = 8192  # primary keys reserved at once
BULK_MIN_FIGURES = 10_000  # see wants_bulk
BULK_EXISTING_RATIO = {"sqlite": 4.0, "postgresql": 0.5}  # figures there / figures added
SORT_CACHE_KB = 2_000  # SQLite's page cache while it builds indexes (small_sqlite_cache)
ROWS_PER_STATEMENT = 100  # SQLite bulk loads: rows per INSERT (more gains nothing measurable)

# Plain strings for the hot loops (enum members cost an attribute lookup each).
PUBLIC, PARTNERS, RESTRICTED = (v.value for v in Visibility)
CREATED, UPDATED, DELETED = (a.value for a in ChangeAction)
NONE = Audience.NOBODY.value
ASSERTS = Stance.ASSERTS.value
TO_INCIDENT, TO_GROUP, TO_FIGURE, TO_ALLEGATION = range(4)  # citation targets, in field order
CITATIONS = "citations"
EXACT, APPROXIMATE, MONTH = (p.value for p in list(DatePrecision)[:3])
UNSPECIFIED, APPROXIMATELY = Qualifier.UNSPECIFIED.value, Qualifier.APPROXIMATELY.value

# --- record layouts ----------------------------------------------------------------------
# Each row is a tuple in this order; the writer maps field names to columns.

COMMON = (
    "id",
    "uuid",
    "created_at",
    "updated_at",
    "visibility",
    "owner_id",
    "version",
    "external_id",
    "deleted_at",
)
FIELDS: dict[type, tuple[str, ...]] = {
    Actor: (*COMMON, "name", "kind", "country", "parent_id", "role", "description"),
    Source: (
        *COMMON,
        "kind",
        "title",
        "issuer_id",
        "reported_in_id",
        "date",
        "date_precision",
        "url",
        "language",
        "text",
    ),
    Incident: (
        *COMMON,
        "title",
        "kind",
        "summary",
        "country",
        "location",
        "start_date",
        "start_precision",
        "end_date",
        "end_precision",
        "parent_id",
    ),
    DetaineeGroup: (
        *COMMON,
        "incident_id",
        "label",
        "age_min",
        "age_max",
        "sex",
        "citizenship",
        "nationality",
        "affiliation",
        "charges",
        "description",
    ),
    Figure: (
        *COMMON,
        "incident_id",
        "group_id",
        "measure",
        "value",
        "value_low",
        "value_high",
        "qualifier",
        "as_of",
        "as_of_precision",
        "note",
    ),
    Allegation: (
        *COMMON,
        "incident_id",
        "victim_group_id",
        "violation_type_id",
        "perpetrator_id",
        "status",
        "summary",
    ),
    Citation: (
        *COMMON,
        "source_id",
        "quote",
        "stance",
        "note",
        "incident_id",
        "group_id",
        "figure_id",
        "allegation_id",
    ),
}
ORDER = (Actor, Source, Incident, DetaineeGroup, Figure, Allegation, Citation)
CHANGE_FIELDS = (
    "resource",
    "record_uuid",
    "action",
    "version",
    "at",
    "audience",
    "audience_owner_id",
    "previous_audience",
    "previous_audience_owner_id",
)
METHOD_FIELDS = ("allegation_id", "term_id")

# The containers the audiences below assume; checked against the access rules at start.
ASSUMED_CONTAINERS = {
    "detaineegroup": ("incident",),
    "figure": ("incident", "group"),
    "allegation": ("incident", "victim_group"),
    "citation": ("source", "incident", "group", "figure", "allegation"),
}

# --- words --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Country:
    code: str
    en: str
    es: str
    spanish: bool
    cities: tuple[str, ...]
    sites: tuple[str, ...]
    people: tuple[str, ...]  # invented names: synthetic records never name real people


COUNTRIES = (
    Country(
        "VE",
        "Venezuela",
        "Venezuela",
        True,
        ("Caracas", "Maracaibo", "Valencia", "Barquisimeto", "Mérida", "San Cristóbal"),
        ("El Helicoide", "Tocorón", "Rodeo I", "Zona 7", "Tocuyito"),
        ("Elena Vidaurre Sol", "Tomás Arrieta Luz", "Inés Calvo Ondarza"),
    ),
    Country(
        "NI",
        "Nicaragua",
        "Nicaragua",
        True,
        ("Managua", "León", "Masaya", "Matagalpa", "Estelí", "Jinotega"),
        ("El Chipote", "La Modelo", "La Esperanza"),
        ("Rosa Iturbe Llano", "Mateo Salcedo Rivas", "Clara Ibarguen Paz"),
    ),
    Country(
        "CU",
        "Cuba",
        "Cuba",
        True,
        ("La Habana", "Santiago de Cuba", "Camagüey", "Holguín", "San Antonio de los Baños"),
        ("Villa Marista", "Combinado del Este", "Kilo 8"),
        ("Lucía Berrocal Nin", "Andrés Quintal Mora", "Julia Ocampo Ferrer"),
    ),
    Country(
        "CO",
        "Colombia",
        "Colombia",
        True,
        ("Bogotá", "Cali", "Medellín", "Popayán", "Barranquilla", "Pasto"),
        ("La Picota", "La Modelo de Bogotá", "Estación de Policía de Puerto Resistencia"),
        ("Sara Villalba Oyos", "Diego Larrañaga Gil", "Alba Mendieta Roca"),
    ),
    Country(
        "BO",
        "Bolivia",
        "Bolivia",
        True,
        ("La Paz", "El Alto", "Cochabamba", "Santa Cruz", "Sucre", "Sacaba"),
        ("San Pedro", "Chonchocoro", "Palmasola"),
        ("Nora Echenique Sal", "Pablo Zubiría Cano", "Eva Lasarte Prado"),
    ),
    Country(
        "EC",
        "Ecuador",
        "Ecuador",
        True,
        ("Quito", "Guayaquil", "Cuenca", "Esmeraldas", "Latacunga"),
        ("Penitenciaría del Litoral", "Cárcel de Latacunga", "CDP de Quito"),
        ("Irene Maturana Sol", "Hugo Barrenechea Lis", "Marta Olazábal Río"),
    ),
    Country(
        "PE",
        "Peru",
        "Perú",
        True,
        ("Lima", "Ayacucho", "Juliaca", "Cusco", "Puno", "Arequipa"),
        ("Penal de Lurigancho", "Santa Mónica", "Penal de Yanamayo"),
        ("Lidia Aranguren Paz", "Iván Goicoechea Mar", "Celia Urquiza Val"),
    ),
    Country(
        "HN",
        "Honduras",
        "Honduras",
        True,
        ("Tegucigalpa", "San Pedro Sula", "Choluteca", "La Ceiba"),
        ("La Tolva", "El Pozo", "Támara"),
        ("Olga Santamaría Bel", "Raúl Etxeberria Gil", "Ana Bermeo Cielo"),
    ),
    Country(
        "GT",
        "Guatemala",
        "Guatemala",
        True,
        ("Ciudad de Guatemala", "Quetzaltenango", "Cobán", "Huehuetenango"),
        ("Mariscal Zavala", "Fraijanes II", "Torre de Tribunales"),
        ("Teresa Lazcano Mir", "Jorge Amézaga Luna", "Laura Iriarte Vega"),
    ),
    Country(
        "SV",
        "El Salvador",
        "El Salvador",
        True,
        ("San Salvador", "Soyapango", "Santa Ana", "San Miguel"),
        ("CECOT", "Mariona", "Izalco"),
        ("Paula Errazquin Bel", "Martín Ugalde Sora", "Noemí Alcorta Lis"),
    ),
    Country(
        "IR",
        "Iran",
        "Irán",
        False,
        ("Tehran", "Zahedan", "Mashhad", "Isfahan", "Sanandaj"),
        ("Evin prison", "Qarchak prison", "Fashafouyeh prison"),
        ("Mira Kestrel", "Daniel Ashgrove", "Petra Lindqvale"),
    ),
    Country(
        "BY",
        "Belarus",
        "Bielorrusia",
        False,
        ("Minsk", "Grodno", "Brest", "Gomel", "Vitebsk"),
        ("Okrestina detention centre", "Zhodino prison", "Volodarka prison"),
        ("Oren Fallowmere", "Lena Brightwater", "Samuel Thornquist"),
    ),
)


class GroupKind(NamedTuple):
    """A kind of detained group: its label, how figures name its members, its traits."""

    label: tuple[str, str]  # English, Spanish
    who: tuple[str, str]
    age_min: int | None
    age_max: int | None
    sex: str
    affiliation: str
    citizenship: str
    scale: int  # typical size
    charges: tuple[str, str]


N, C, M, F = Citizenship.NATIONAL, Affiliation.CIVILIAN, Sex.MIXED, Citizenship.FOREIGN
GROUPS = (
    GroupKind(("minors aged 14-17", "menores de 14 a 17 años"), ("minors", "menores de edad"),
              14, 17, Sex.UNKNOWN, C, N, 120, ("terrorism", "terrorismo")),
    GroupKind(("university students", "estudiantes universitarios"), ("students", "estudiantes"),
              18, 25, M, C, N, 400, ("public disorder", "alteración del orden público")),
    GroupKind(("journalists", "periodistas"), ("journalists", "periodistas"),
              None, None, M, C, N, 25, ("spreading false news", "difusión de noticias falsas")),
    GroupKind(("political prisoners", "presos políticos"),
              ("political prisoners", "presos políticos"),
              None, None, Sex.UNKNOWN, Affiliation.UNKNOWN, Citizenship.UNKNOWN, 900,
              ("treason, conspiracy", "traición a la patria, conspiración")),
    GroupKind(("women protesters", "mujeres manifestantes"), ("women", "mujeres"),
              18, None, Sex.FEMALE, C, N, 150, ("incitement to hatred", "incitación al odio")),
    GroupKind(("military officers", "oficiales militares"), ("officers", "oficiales"),
              25, 60, Sex.MALE, Affiliation.MILITARY, N, 60,
              ("rebellion, treason", "rebelión, traición a la patria")),
    GroupKind(("foreign nationals", "extranjeros detenidos"), ("foreigners", "extranjeros"),
              18, None, M, C, F, 40, ("espionage", "espionaje")),
    GroupKind(("opposition activists", "activistas de la oposición"), ("activists", "activistas"),
              18, None, M, C, N, 300,
              ("terrorism, incitement to hatred", "terrorismo, incitación al odio")),
    GroupKind(("human rights defenders", "defensores de derechos humanos"),
              ("defenders", "defensores"),
              None, None, M, C, N, 30, ("money laundering", "legitimación de capitales")),
    GroupKind(("indigenous community members", "comuneros indígenas"),
              ("community members", "comuneros"),
              None, None, M, C, N, 80, ("usurpation", "usurpación")),
    GroupKind(("trade unionists", "sindicalistas"), ("unionists", "sindicalistas"),
              18, None, M, C, N, 50, ("sabotage", "sabotaje")),
    GroupKind(("election witnesses", "testigos electorales"), ("witnesses", "testigos"),
              18, None, M, C, N, 200, ("electoral fraud", "fraude electoral")),
)  # fmt: skip
del N, C, M, F

WHO = (
    ("protesters", "manifestantes"),
    ("students", "estudiantes"),
    ("journalists", "periodistas"),
    ("opposition activists", "activistas opositores"),
    ("trade unionists", "sindicalistas"),
    ("election witnesses", "testigos electorales"),
    ("human rights defenders", "defensores de derechos humanos"),
    ("neighbourhood residents", "vecinos de barrios populares"),
)
TOPICS = (
    ("the election results", "los resultados electorales"),
    ("fuel price increases", "el alza de los combustibles"),
    ("the pension reform", "la reforma de pensiones"),
    ("water shortages", "la escasez de agua"),
    ("the new security law", "la nueva ley de seguridad"),
    ("mining concessions", "las concesiones mineras"),
    ("power cuts", "los apagones"),
)
TOP_TITLES = (
    ("Post-election crackdown in {en}", "Represión postelectoral en {es}"),
    (
        "Crackdown on protests over {topic} in {en}",
        "Represión de las protestas por {topic} en {es}",
    ),
    ("Wave of arrests of opposition leaders in {en}", "Ola de detenciones de opositores en {es}"),
    (
        "Detentions under the state of emergency in {en}",
        "Detenciones bajo el estado de excepción en {es}",
    ),
    ("Repression of the national strike in {en}", "Represión del paro nacional en {es}"),
)
CHILD_TITLES = {
    IncidentKind.MASS_DETENTION: (
        ("Mass detentions of {who} in {city}", "Detenciones masivas de {who} en {city}"),
        (
            "Round-up of {who} after the march in {city}",
            "Redada contra {who} tras la marcha en {city}",
        ),
    ),
    IncidentKind.ARREST: (
        (
            "Night raids on the homes of {who} in {city}",
            "Allanamientos nocturnos contra {who} en {city}",
        ),
        (
            "Arrests of {who} at checkpoints near {city}",
            "Arrestos de {who} en alcabalas cerca de {city}",
        ),
    ),
    IncidentKind.RELEASE: (
        ("Release of {who} from {site}", "Excarcelación de {who} de {site}"),
        (
            "Conditional releases of {who} in {city}",
            "Excarcelaciones condicionales de {who} en {city}",
        ),
    ),
    IncidentKind.KILLING: (
        ("Killings during protests in {city}", "Asesinatos durante las protestas en {city}"),
        (
            "Shootings of {who} by security forces in {city}",
            "Disparos contra {who} por fuerzas de seguridad en {city}",
        ),
    ),
    IncidentKind.PROTEST: (
        ("Protests in {city} against {topic}", "Protestas en {city} contra {topic}"),
        ("Student protests in {city}", "Protestas estudiantiles en {city}"),
    ),
    IncidentKind.OTHER: (
        ("Hunger strike at {site}", "Huelga de hambre en {site}"),
        ("Incommunicado transfers to {site}", "Traslados incomunicados a {site}"),
    ),
}
CHILD_KINDS = (
    (IncidentKind.MASS_DETENTION, 0.30),
    (IncidentKind.ARREST, 0.25),
    (IncidentKind.RELEASE, 0.15),
    (IncidentKind.KILLING, 0.10),
    (IncidentKind.PROTEST, 0.12),
    (IncidentKind.OTHER, 0.08),
)
SUMMARIES = (
    (
        "Security forces detained {who} in {city} after {topic}; relatives report "
        "beatings and incommunicado detention.",
        "Las fuerzas de seguridad detuvieron a {who} en {city} tras {topic}; los familiares "
        "denuncian golpizas y detenciones incomunicadas.",
    ),
    (
        "Lawyers documented arbitrary arrests of {who} and transfers to {site}.",
        "Abogados documentaron arrestos arbitrarios de {who} y traslados a {site}.",
    ),
    (
        "Human rights organisations counted detentions, releases and deaths of {who} in "
        "{city} over several weeks.",
        "Organizaciones de derechos humanos contabilizaron detenciones, excarcelaciones y "
        "muertes de {who} en {city} durante varias semanas.",
    ),
    (
        "Relatives of {who} held at {site} denounced torture and forced confessions.",
        "Familiares de {who} recluidos en {site} denunciaron torturas y confesiones forzadas.",
    ),
)
FIGURE_NOTES = (
    ("Count from a list of names verified by lawyers.", "Cifra verificada por abogados."),
    ("Includes {who} held at {site}.", "Incluye a {who} recluidos en {site}."),
    ("Relatives' reports, not independently confirmed.", "Denuncias de familiares, sin confirmar."),
    ("Official figure read out at a press conference.", "Cifra oficial leída en rueda de prensa."),
)

MONTHS_EN = (
    "", "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)  # fmt: skip
MONTHS_ES = (
    "", "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
    "septiembre", "octubre", "noviembre", "diciembre",
)  # fmt: skip

# What a figure counts, after the number and who: "at least 129 minors detained".
MEASURE_SUFFIX = {
    Measure.DETAINED: (" detained", " detenidos"),
    Measure.STILL_DETAINED: (" still in detention", " que siguen presos"),
    Measure.RELEASED: (" released", " excarcelados"),
    Measure.CHARGED: (" charged", " imputados"),
    Measure.KILLED: (" killed", " asesinados"),
    Measure.INJURED: (" injured", " heridos"),
    Measure.DISAPPEARED: (" forcibly disappeared", " desaparecidos"),
}
QUALIFIER_WORDS = {
    Qualifier.EXACT: ("", ""),
    Qualifier.AT_LEAST: ("at least ", "al menos "),
    Qualifier.MORE_THAN: ("more than ", "más de "),
    Qualifier.APPROXIMATELY: ("some ", "unos "),
    Qualifier.AT_MOST: ("up to ", "hasta "),
    Qualifier.UNSPECIFIED: ("", ""),
}
# Another source's response to a figure, as (sentence, quote) in English and Spanish.
RESPONSES = {
    Stance.CORROBORATES.value: (
        ("{issuer} confirmed reports of {phrase}.", "confirmed reports of {phrase}"),
        ("{issuer} confirmó los reportes de {phrase}.", "confirmó los reportes de {phrase}"),
    ),
    Stance.DISPUTES.value: (
        ("{issuer} questioned the figure of {phrase}, calling it inflated.",
         "questioned the figure of {phrase}"),
        ("{issuer} cuestionó la cifra de {phrase} por considerarla inflada.",
         "cuestionó la cifra de {phrase}"),
    ),
    Stance.DENIES.value: (
        ("{issuer} denied reports of {phrase}.", "denied reports of {phrase}"),
        ("{issuer} negó los reportes de {phrase}.", "negó los reportes de {phrase}"),
    ),
    Stance.ACKNOWLEDGES.value: (
        ("{issuer} acknowledged {phrase}.", "acknowledged {phrase}"),
        ("{issuer} reconoció {phrase}.", "reconoció {phrase}"),
    ),
}  # fmt: skip
ALLEGATION_WORDS = (
    "{issuer} received testimonies of {violation} against {who} in {place}{methods}.",
    "{issuer} recibió testimonios de {violation} contra {who} en {place}{methods}.",
)
ALLEGATION_RESPONSES = {
    Stance.CORROBORATES: (
        "corroborated allegations of {violation}",
        "corroboró las denuncias de {violation}",
    ),
    Stance.DISPUTES: (
        "disputed allegations of {violation}",
        "cuestionó las denuncias de {violation}",
    ),
    Stance.DENIES: ("denied any {violation}", "negó cualquier {violation}"),
    Stance.ACKNOWLEDGES: ("acknowledged cases of {violation}", "reconoció casos de {violation}"),
}
STATUS_RESPONSE = {
    AllegationStatus.CORROBORATED: Stance.CORROBORATES,
    AllegationStatus.ACKNOWLEDGED: Stance.ACKNOWLEDGES,
    AllegationStatus.DENIED: Stance.DENIES,
    AllegationStatus.DISPUTED: Stance.DISPUTES,
}
STATUSES = (
    (AllegationStatus.ALLEGED, 0.50),
    (AllegationStatus.CORROBORATED, 0.20),
    (AllegationStatus.ACKNOWLEDGED, 0.05),
    (AllegationStatus.DENIED, 0.15),
    (AllegationStatus.DISPUTED, 0.10),
)
VIOLATION_WEIGHTS = {
    "arbitrary_detention": 30,
    "torture": 12,
    "cruel_treatment": 12,
    "denial_of_due_process": 10,
    "incommunicado_detention": 8,
    "enforced_disappearance": 6,
    "fabricated_charges": 8,
}
# Violation types that come with methods.
WITH_METHODS = {"torture", "cruel_treatment", "sexual_violence", "forced_confession"}

# Reporters: how an actor of each kind reports (source kind, bias of its counts,
# qualifiers with their weights, stances it takes towards others' figures).
REPORTING = {
    "ngo": (
        (SourceKind.NGO_STATEMENT, SourceKind.NGO_REPORT),
        (1.0, 1.3),
        ((Qualifier.AT_LEAST, 0.45), (Qualifier.EXACT, 0.35), (Qualifier.MORE_THAN, 0.2)),
        ((Stance.CORROBORATES, 0.6), (Stance.DISPUTES, 0.4)),
    ),
    "person": (
        (SourceKind.SOCIAL_MEDIA_POST, SourceKind.TESTIMONY),
        (1.0, 1.2),
        ((Qualifier.AT_LEAST, 0.5), (Qualifier.EXACT, 0.5)),
        ((Stance.CORROBORATES, 0.7), (Stance.DISPUTES, 0.3)),
    ),
    "state_body": (
        (SourceKind.GOVERNMENT_STATEMENT,),
        (0.35, 0.8),
        ((Qualifier.EXACT, 0.8), (Qualifier.AT_MOST, 0.2)),
        ((Stance.DENIES, 0.5), (Stance.DISPUTES, 0.3), (Stance.ACKNOWLEDGES, 0.2)),
    ),
    "media": (
        (SourceKind.NEWS_ARTICLE,),
        (0.9, 1.15),
        ((Qualifier.APPROXIMATELY, 0.5), (Qualifier.EXACT, 0.3), (Qualifier.MORE_THAN, 0.2)),
        ((Stance.CORROBORATES, 0.8), (Stance.DISPUTES, 0.2)),
    ),
    "un_mechanism": (
        (SourceKind.UN_STATEMENT,),
        (0.85, 1.1),
        ((Qualifier.APPROXIMATELY, 0.4), (Qualifier.MORE_THAN, 0.3), (Qualifier.EXACT, 0.3)),
        ((Stance.CORROBORATES, 0.7), (Stance.DISPUTES, 0.3)),
    ),
    "intergovernmental": (
        (SourceKind.IGO_STATEMENT,),
        (0.85, 1.1),
        ((Qualifier.MORE_THAN, 0.5), (Qualifier.APPROXIMATELY, 0.5)),
        ((Stance.CORROBORATES, 0.7), (Stance.DISPUTES, 0.3)),
    ),
}

# Series a group or an incident is counted in: measure -> share of its scale over time.
GROUP_MEASURES = (
    Measure.DETAINED,
    Measure.STILL_DETAINED,
    Measure.RELEASED,
    Measure.CHARGED,
)
INCIDENT_MEASURES = (
    Measure.DETAINED,
    Measure.RELEASED,
    Measure.KILLED,
    Measure.INJURED,
    Measure.DISAPPEARED,
)
SMALL_MEASURES = {Measure.KILLED: 0.02, Measure.INJURED: 0.1, Measure.DISAPPEARED: 0.03}

START = date(2017, 1, 1).toordinal()
LATEST = date(2025, 9, 30).toordinal()


# --- helpers ------------------------------------------------------------------------------


def weighted(rng: random.Random, pairs):
    """One of ``(value, weight)`` pairs, by weight (weights sum to about 1)."""
    r = rng.random() * sum(w for _, w in pairs)
    for value, weight in pairs:
        r -= weight
        if r < 0:
            return value
    return pairs[-1][0]


def split(total: int, weights: list[float]) -> list[int]:
    """``total`` split in proportion to ``weights``, exactly (cumulative rounding)."""
    whole = sum(weights)
    out, before, acc = [], 0, 0.0
    for weight in weights:
        acc += weight
        upto = round(total * acc / whole)
        out.append(upto - before)
        before = upto
    return out


def number(n: int, spanish: bool) -> str:
    text = f"{n:,}"
    return text.replace(",", ".") if spanish else text


def cumulative(pairs) -> tuple[list[float], list[str]]:
    """Weights as cumulative shares, for ``bisect_right(shares, random())``, and the values."""
    total = sum(w for _, w in pairs)
    shares, acc = [], 0.0
    for _, weight in pairs:
        acc += weight / total
        shares.append(acc)
    shares[-1] = 1.0 + 1e-9
    return shares, [getattr(v, "value", v) for v, _ in pairs]


def figure_phrase(spanish, kind, qualifier_words, value, low, high, who, suffix) -> str:
    """A figure in words: kind 0 a number, 1 no number ("several"), 2 a range."""
    if kind == 1:
        return f"{'varios' if spanish else 'several'} {who[spanish]}{suffix[spanish]}"
    if kind == 2:
        between = "entre {} y {}" if spanish else "between {} and {}"
        n = between.format(number(low, spanish), number(high, spanish))
        return f"{n} {who[spanish]}{suffix[spanish]}"
    return f"{qualifier_words}{number(value, spanish)} {who[spanish]}{suffix[spanish]}"


class UuidStream:
    """Version-4 UUIDs as 32 hex digits, drawn from ``rng`` a chunk at a time.

    Equivalent to ``uuid.UUID(int=..., version=4).hex`` with the random bits coming
    from ``rng.getrandbits``, but formatted a thousand at a time.
    """

    def __init__(self, rng: random.Random):
        self.rng = rng
        mask = (1 << 128) - 1
        mask &= ~(0xC000 << 48)
        mask &= ~(0xF000 << 64)
        bits = (0x8000 << 48) | (0x4000 << 64)
        self.mask = sum(mask << (128 * i) for i in range(UUID_CHUNK))
        self.bits = sum(bits << (128 * i) for i in range(UUID_CHUNK))
        self.width = 32 * UUID_CHUNK

    def __iter__(self) -> Iterator[str]:
        return chain.from_iterable(self._chunks())

    def _chunks(self) -> Iterator[list[str]]:
        while True:
            big = (self.rng.getrandbits(128 * UUID_CHUNK) & self.mask) | self.bits
            text = f"{big:0{self.width}x}"
            yield [text[i : i + 32] for i in range(0, self.width, 32)]


class Audiences:
    """The feed's audiences as small integers, combined with ``Seen.within``.

    Computing a frozen dataclass per record would cost more than inserting it, so
    every audience a run can produce is numbered once and ``within`` tabulated.
    """

    def __init__(self, partner_ids: list[int]):
        seen = [
            Seen(Audience.PUBLIC),
            Seen(Audience.PARTNERS),
            Seen(Audience.RESTRICTED),
            *(Seen(Audience.RESTRICTED, pk) for pk in partner_ids),
            NOBODY,
        ]
        self.index = {s: i for i, s in enumerate(seen)}
        self.within = [[self.index[a.within(b)] for b in seen] for a in seen]
        self.columns = [(Audience(s.level).value, s.owner_id) for s in seen]
        self.nobody = self.index[NOBODY]
        self.public = 0
        self.partners = 1
        self.owned = {pk: self.index[Seen(Audience.RESTRICTED, pk)] for pk in partner_ids}
        self.staff_only = 2


def check_containers() -> None:
    """Refuse to run if the access rules gained a container this module does not know."""
    actual = {name: tuple(f for f, _ in fields) for name, fields in access.CONTAINERS.items()}
    if actual != ASSUMED_CONTAINERS:
        raise RuntimeError(
            "incidents.access.CONTAINERS changed; update incidents.perf.synthetic "
            f"(ASSUMED_CONTAINERS) to match: {actual}"
        )
    if RESOURCES[Citation] != CITATIONS or FIELDS[Citation][-4:] != tuple(
        f"{name}_id" for name in Citation.TARGET_FIELDS
    ):
        raise RuntimeError("Citation's resource name or targets changed; update synthetic.py")


# --- writing ------------------------------------------------------------------------------


class Writer:
    """Reserves primary keys and inserts tuples, the fastest way each database offers."""

    def __init__(self):
        connection.ensure_connection()
        self.vendor = connection.vendor
        if self.vendor not in ("sqlite", "postgresql"):
            raise RuntimeError(
                f"generate_synthetic supports SQLite and PostgreSQL, not {self.vendor}"
            )
        self.tables: dict[object, tuple[str, list[str], tuple]] = {}
        for model, names in FIELDS.items():
            self.tables[model] = self._layout(model, names)
        self.tables[Change] = self._layout(Change, CHANGE_FIELDS)
        through = Allegation.methods.through
        self.tables["methods"] = self._layout(through, METHOD_FIELDS)
        self.bulk = False  # set by ``BulkLoad`` while it owns the transaction
        self.sequences: dict = {}  # PostgreSQL: each model's key sequence, by OID
        self.max_variables = 999  # SQLite's smallest limit on a statement's parameters
        if self.vendor == "sqlite" and hasattr(connection.connection, "getlimit"):
            self.max_variables = connection.connection.getlimit(
                sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER
            )

    @staticmethod
    def _layout(model, names):
        opts = model._meta
        fields = [opts.get_field(name) for name in names]
        known = {f.column for f in fields}
        extra_columns, extra_values = [], []
        for f in opts.concrete_fields:
            if f.column in known or f.primary_key:
                continue
            # A field added since this module was written: its constant default, if any.
            if f.has_default() and not callable(f.default):
                value = f.get_db_prep_save(f.get_default(), connection)
            elif f.null:
                value = None
            else:
                raise RuntimeError(f"incidents.perf.synthetic does not fill {opts.label}.{f.name}")
            extra_columns.append(f.column)
            extra_values.append(value)
        columns = [f.column for f in fields] + extra_columns
        return opts.db_table, columns, tuple(extra_values)

    def reserve(self, model, count: int) -> list[int] | range:
        """``count`` primary keys nobody else will use, in a transaction of their own."""
        table = model._meta.db_table
        with transaction.atomic(), connection.cursor() as cursor:
            if self.vendor == "postgresql":
                # The sequence is looked up once (per row, the lookup cost 2 µs a key,
                # a tenth of a 100k-figure run), and the keys come back as runs of
                # consecutive values: one, unless another session drew meanwhile.
                sequence = self.sequences.get(model)
                if sequence is None:
                    cursor.execute(
                        "SELECT pg_get_serial_sequence(%s, %s)::regclass::oid",
                        [table, model._meta.pk.column],
                    )
                    sequence = self.sequences[model] = cursor.fetchone()[0]
                cursor.execute(
                    "SELECT min(pk), max(pk) FROM ("
                    "  SELECT pk, pk - row_number() OVER (ORDER BY pk) AS run FROM ("
                    "    SELECT nextval(%s::regclass) AS pk FROM generate_series(1, %s)"
                    "  ) AS drawn) AS numbered "
                    "GROUP BY run ORDER BY 1",
                    [sequence, count],
                )
                runs = cursor.fetchall()
                if len(runs) == 1:
                    return range(runs[0][0], runs[0][1] + 1)
                return [pk for low, high in runs for pk in range(low, high + 1)]
            # AUTOINCREMENT never hands out a rowid at or below sqlite_sequence, so
            # raising it by ``count`` reserves the keys in between; the UPDATE takes the
            # write lock first, so the read of max(id) cannot race another writer.
            quoted = connection.ops.quote_name(table)
            pk = connection.ops.quote_name(model._meta.pk.column)
            top = f"(SELECT coalesce(max({pk}), 0) FROM {quoted})"
            cursor.execute(
                f"UPDATE sqlite_sequence SET seq = max(seq, {top}) + %s WHERE name = %s "
                "RETURNING seq",
                [count, table],
            )
            row = cursor.fetchone()
            if row is None:
                cursor.execute(
                    f"INSERT INTO sqlite_sequence (name, seq) VALUES (%s, {top} + %s) "
                    "RETURNING seq",
                    [table, count],
                )
                row = cursor.fetchone()
            return range(row[0] - count + 1, row[0] + 1)

    def insert(self, key, rows: list[tuple]) -> None:
        if not rows:
            return
        table, columns, extra = self.tables[key]
        if extra:
            rows = [row + extra for row in rows]
        quote = connection.ops.quote_name
        names = ", ".join(quote(c) for c in columns)
        raw = connection.connection
        if self.vendor == "sqlite":
            marks = ", ".join("?" * len(columns))
            into = f"INTO {quote(table)} ({names}) VALUES"
            if self.bulk:
                rows = self._insert_many(into, f"({marks})", len(columns), rows)
            raw.executemany(f"INSERT {into} ({marks})", rows)
        else:
            with (
                raw.cursor() as cursor,
                cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy,
            ):
                write = copy.write_row
                for row in rows:
                    write(row)

    def _insert_many(self, into: str, marks: str, width: int, rows: list[tuple]) -> list[tuple]:
        """Insert most rows with multi-row ``INSERT OR ROLLBACK`` statements (bulk loads).

        One statement per ``ROWS_PER_STATEMENT`` rows saves SQLite the per-statement
        work (and the ``AUTOINCREMENT`` bookkeeping) that ``executemany`` repeats per
        row. ``OR ROLLBACK`` matters as much: a plain multi-row ``INSERT`` keeps a
        statement journal so that a failing row undoes only its own statement, which
        costs more than the batching saves; a bulk load is one transaction that is
        undone whole on any error anyway. Returns the rows left over, for
        ``executemany``.
        """
        per = max(1, min(ROWS_PER_STATEMENT, self.max_variables // width))
        full = len(rows) - len(rows) % per
        if full:
            sql = f"INSERT OR ROLLBACK {into} " + ", ".join([marks] * per)
            execute = connection.connection.execute
            flatten = chain.from_iterable
            for start in range(0, full, per):
                execute(sql, tuple(flatten(rows[start : start + per])))
        return rows[full:]


# --- bulk loads ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SchemaItem:
    """An index or a foreign key a bulk load drops, with what recreates it exactly."""

    kind: str  # INDEX or FOREIGN_KEY
    table: str
    name: str
    definition: str  # SQLite's own CREATE INDEX; PostgreSQL's pg_get_indexdef/constraintdef


INDEX, FOREIGN_KEY = "index", "foreign key"


def bulk_tables() -> list[str]:
    """The tables a run writes to: the records', the methods', the change feed's."""
    models = [*ORDER, Allegation.methods.through, Change]
    return [model._meta.db_table for model in models]


def secondary_schema(tables: list[str]) -> list[SchemaItem]:
    """What a bulk load sets aside on ``tables``, in creation order, as the database has it.

    Every index that is not part of the table's definition: on SQLite those with SQL in
    ``sqlite_master`` (the automatic indexes of UNIQUE columns cannot be dropped), on
    PostgreSQL those that back no primary key or UNIQUE constraint (partial unique
    indexes, the GIN search indexes and Django's foreign-key indexes included); and on
    PostgreSQL the foreign keys. The definitions are read from the catalogue, not
    rebuilt from the models, so what is recreated is exactly what was there.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            marks = ", ".join(["%s"] * len(tables))
            cursor.execute(
                "SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'index' "
                f"AND sql IS NOT NULL AND tbl_name IN ({marks}) ORDER BY rowid",
                tables,
            )
            return [SchemaItem(INDEX, *row) for row in cursor.fetchall()]
        quoted = [connection.ops.quote_name(t) for t in tables]
        ours = "(SELECT to_regclass(name) FROM unnest(%s::text[]) AS name)"
        cursor.execute(
            "SELECT t.relname, c.relname, pg_get_indexdef(i.indexrelid) "
            "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_class t ON t.oid = i.indrelid "
            f"WHERE i.indrelid IN {ours} AND NOT EXISTS ("
            "  SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid"
            "  AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x')) "
            "ORDER BY c.oid",
            [quoted],
        )
        items = [SchemaItem(INDEX, *row) for row in cursor.fetchall()]
        cursor.execute(
            "SELECT t.relname, k.conname, pg_get_constraintdef(k.oid) "
            "FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid "
            f"WHERE k.contype = 'f' AND k.conrelid IN {ours} ORDER BY k.oid",
            [quoted],
        )
        return items + [SchemaItem(FOREIGN_KEY, *row) for row in cursor.fetchall()]


def drop(items: list[SchemaItem]) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for item in items:
            if item.kind == INDEX:
                cursor.execute(f"DROP INDEX {quote(item.name)}")
            else:
                cursor.execute(
                    f"ALTER TABLE {quote(item.table)} DROP CONSTRAINT {quote(item.name)}"
                )


def recreate(items: list[SchemaItem]) -> None:
    """Create ``items`` again: indexes first, so that foreign keys are validated last.

    Recreating checks the data: a UNIQUE index fails on duplicates, a foreign key
    (PostgreSQL) on a dangling reference, and the run is rolled back.
    """
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for item in sorted(items, key=lambda i: i.kind != INDEX):
            if item.kind == INDEX:
                cursor.execute(item.definition)
            else:
                cursor.execute(
                    f"ALTER TABLE {quote(item.table)} ADD CONSTRAINT {quote(item.name)} "
                    f"{item.definition}"
                )


def restore_missing(items: list[SchemaItem]) -> list[SchemaItem]:
    """Recreate whichever of ``items`` the database lacks; returns them (normally none).

    A failed bulk load is rolled back, and with it its DROPs (both databases roll DDL
    back), so this finds nothing to do; it is the safety net should a transaction
    ever end without them. A table's indexes are kept in their original order (the
    planner weighs them in that order when costs tie): a missing index is recreated
    together with those created after it.
    """
    if not items:
        return []
    tables = sorted({item.table for item in items})
    present = {(i.kind, i.table, i.name) for i in secondary_schema(tables)}
    missing = [i for i in items if (i.kind, i.table, i.name) not in present]
    if not missing:
        return []
    redo = []
    for table in tables:
        indexes = [i for i in items if i.table == table and i.kind == INDEX]
        first = next((n for n, i in enumerate(indexes) if i in missing), len(indexes))
        redo += indexes[first:]
    redo += [i for i in missing if i.kind != INDEX]
    with transaction.atomic():
        drop([i for i in redo if i not in missing])
        recreate(redo)
    return missing


def wants_bulk(figures: int, existing_figures: int) -> bool:
    """Whether to load in bulk: a large run into tables it (nearly) fills by itself.

    Dropping the indexes saves their upkeep on every row added, but rebuilding them
    reads every row of the tables, old ones included, and the run holds one long
    transaction and table locks (see ``BulkLoad``). Measured adding 100,000 figures
    (2 shared cores, noisy): on SQLite the bulk load still wins with 4 times as many
    figures there already (9.8 s against 10.7-11.7 s batch by batch; 5.4 s against
    7.9 s with as many; 3.7-4.2 s against 6.2-6.8 s into empty tables); on
    PostgreSQL, where the GIN search indexes are slow to rebuild, it wins into empty
    tables (7.5-8.0 s against 11.3-11.8 s) and with half as many there (10.2 s
    against 12.4 s), and only ties with as many (12.5 s both). Hence
    ``BULK_EXISTING_RATIO``, and at least ``BULK_MIN_FIGURES`` figures: below that
    the saving is a fraction of a second, not worth holding every table. On SQLite
    the run must also start outside any transaction, since foreign-key enforcement
    can only be switched off there.
    """
    if figures < BULK_MIN_FIGURES:
        return False
    if existing_figures > BULK_EXISTING_RATIO[connection.vendor] * figures:
        return False
    return connection.vendor == "postgresql" or not connection.in_atomic_block


@contextmanager
def small_sqlite_cache():
    """Build indexes with SQLite's page cache at ``SORT_CACHE_KB``, then put it back.

    SQLite sizes the in-memory runs of the sorter behind CREATE INDEX by the page
    cache: with the large cache a load wants (``FastSQLite``) it sorts millions of
    keys in one run, which thrashes the CPU caches; with a small one it sorts runs
    that fit them and merges, twice as fast for the change feed's index at 1M
    figures (2.4 s instead of 4.8-5.7 s; 0.6 s instead of 1.1 s for a figure index).
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        size = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = {-SORT_CACHE_KB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(size)}")


class BulkLoad:
    """One transaction for the whole run, with the secondary indexes (and the foreign
    keys) set aside until the rows are in, then rebuilt and checked.

    Building an index once over sorted rows costs far less than updating it row by row,
    and checking foreign keys once, as a join, less than once per row. On SQLite,
    foreign-key enforcement is switched off for this connection (``PRAGMA
    foreign_keys``, which only works outside a transaction) and ``PRAGMA
    foreign_key_check`` (Django's ``check_constraints``) runs before the commit,
    raising ``IntegrityError`` on any dangling reference. On PostgreSQL the foreign
    keys are dropped and added back, which validates every row.

    Both databases roll DDL back, so the drops, the rows and the rebuilds commit
    together or not at all: a failure at any point (an exception, Ctrl-C, a killed
    process, a crash) leaves the schema as it was, with none of the run's rows.
    ``restore_missing`` checks that afterwards anyway.

    The price: other writers wait for the whole run (SQLite has one writer at a time
    anyway; on PostgreSQL the change feed's lock is held to the end, so their
    changes are sequenced after ours), and on PostgreSQL the dropped indexes and
    foreign keys lock the tables (and the referenced ones) against readers too. It is
    meant for filling a benchmark database, which is why ``wants_bulk`` chooses it
    only for large runs into small tables.
    """

    def __init__(self, writer: Writer):
        self.writer = writer
        self.tables = bulk_tables()
        self.items: list[SchemaItem] = []
        self.constraints_off = False

    def __enter__(self) -> BulkLoad:
        if self.writer.vendor == "sqlite":
            if connection.in_atomic_block:
                raise RuntimeError(
                    "A bulk load on SQLite needs its own transaction (foreign-key "
                    "enforcement cannot be switched off inside one): run it outside "
                    "transaction.atomic, or without bulk."
                )
            self.constraints_off = connection.disable_constraint_checking()
            if not self.constraints_off:  # pragma: no cover - outside a transaction it works
                raise RuntimeError("SQLite refused to switch foreign-key enforcement off.")
        self.atomic = transaction.atomic()
        try:
            self.atomic.__enter__()
        except BaseException:
            self._enforce_constraints()
            raise
        try:
            self.items = secondary_schema(self.tables)
            drop(self.items)
            self.writer.bulk = True
        except BaseException as error:
            self._exit(error)
            raise
        return self

    def __exit__(self, exc_type, error, traceback) -> None:
        if error is None:
            try:
                self.writer.bulk = False
                with small_sqlite_cache():
                    recreate(self.items)
                if self.writer.vendor == "sqlite":
                    connection.check_constraints(table_names=self.tables)
            except BaseException as failure:
                self._exit(failure)
                raise
        self._exit(error)

    def _exit(self, error: BaseException | None) -> None:
        """End the transaction (rolling back on ``error``), then put everything back."""
        self.writer.bulk = False
        try:
            if error is None:
                self.atomic.__exit__(None, None, None)
            else:
                self.atomic.__exit__(type(error), error, error.__traceback__)
        finally:
            try:
                restore_missing(self.items)
            finally:
                self._enforce_constraints()

    def _enforce_constraints(self) -> None:
        if self.constraints_off:
            connection.enable_constraint_checking()
            self.constraints_off = False


# --- generating ---------------------------------------------------------------------------


@dataclass
class Batch:
    rows: dict = field(default_factory=lambda: {model: [] for model in ORDER})
    methods: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    late_changes: list = field(default_factory=list)  # deletions, after every creation

    @property
    def figures(self) -> int:
        return len(self.rows[Figure])


@dataclass
class Reporter:
    """An actor as a source of figures: its language, its bias, its way with numbers."""

    actor_id: int
    name: str
    kind: str
    spanish: bool
    source_kinds: tuple
    low: float  # its counts are the true ones times low .. low + spread
    spread: float
    qualifier_weights: list[float]
    qualifier_values: list[str]
    qualifier_words: list[str]  # in its language
    qualifier_words_other: list[str]  # in the other one, for responses that quote it
    stance_weights: list[float]
    stance_values: list[str]

    @classmethod
    def of(cls, actor_id: int, name: str, kind: str, spanish: bool) -> Reporter:
        source_kinds, (low, high), qualifiers, stances = REPORTING[kind]
        q_weights, q_values = cumulative(qualifiers)
        s_weights, s_values = cumulative(stances)
        return cls(
            actor_id,
            name,
            kind,
            spanish,
            source_kinds,
            low,
            high - low,
            q_weights,
            q_values,
            [QUALIFIER_WORDS[v][spanish] for v in q_values],
            [QUALIFIER_WORDS[v][not spanish] for v in q_values],
            s_weights,
            s_values,
        )


@dataclass
class Statement:
    """A source being written: its sentences grow as figures are attributed to it."""

    source_id: int
    uuid: str
    reporter: Reporter
    day: int
    head: tuple
    audience: int
    dead: bool
    sentences: list = field(default_factory=list)


@dataclass
class Summary:
    counts: dict
    seconds: float  # the whole run, ANALYZE included
    tag: str
    bulk: bool = False
    analyze_seconds: float | None = None  # None: not run (SQLite, or analyze=False)
    contest_seconds: float = 0.0  # building the new figures' contest state

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


class Generator:
    """Builds batches of rows; see the module docstring for what they hold."""

    def __init__(
        self,
        *,
        incidents: int,
        figures: int,
        allegations: int,
        batch_size: int,
        tag: str,
        rng: random.Random,
        uuids: Iterator[str],
        reserve: Callable[[object, int], list[int] | range],
        partners: list[int],
        violations: list[tuple[int, str, str, str]],
        methods: list[tuple[int, str, str, str]],
        now: object,
    ):
        self.n_incidents, self.n_figures, self.n_allegations = incidents, figures, allegations
        self.batch_size = batch_size
        self.tag = tag
        self.rng = rng
        self.uuid = uuids.__next__
        self.random = rng.random
        self.reserve = reserve
        self.partners = partners
        self.aud = Audiences(partners)
        self.now = now
        self.violations = violations
        # Cumulative, as random.choices would make them from the weights on every call.
        self.violation_weights = list(
            accumulate(VIOLATION_WEIGHTS.get(code, 4) for _, code, _, _ in violations)
        )
        self.methods = methods
        self._ids: dict = {}
        self._iso: dict[int, str] = {}
        self._words: dict[int, str] = {}
        self.batch = Batch()
        self.actors_by_country: dict[str, dict[str, list[Reporter]]] = {}
        self.international: list[Reporter] = []
        self.perpetrators: dict[str, list[int]] = {}

    # ids, dates, record heads

    def next_id(self, model) -> int:
        take = self._ids.get(model)
        if take is None:
            take = self._ids[model] = chain.from_iterable(self._id_blocks(model)).__next__
        return take()

    def _id_blocks(self, model):
        while True:
            yield self.reserve(model, ID_CHUNK)

    def iso(self, day: int) -> str:
        text = self._iso.get(day)
        if text is None:
            text = self._iso[day] = date.fromordinal(day).isoformat()
        return text

    def words_date(self, day: int, spanish: bool) -> str:
        key = day * 2 + spanish
        text = self._words.get(key)
        if text is None:
            d = date.fromordinal(day)
            if spanish:
                text = f"{d.day} de {MONTHS_ES[d.month]} de {d.year}"
            else:
                text = f"{d.day} {MONTHS_EN[d.month]} {d.year}"
            self._words[key] = text
        return text

    def head(self, model, owner: int | None, deleted_share: float = 0.0):
        """The common columns of a new record, its own audience, and whether it is deleted."""
        random = self.random
        take = self._ids.get(model)
        pk = take() if take is not None else self.next_id(model)
        uuid = self.uuid()
        r = random()
        if r < PUBLIC_SHARE:
            visibility, audience = PUBLIC, 0
        elif r < SHARED_SHARE:
            visibility, audience = PARTNERS, 1
        else:
            visibility = RESTRICTED
            if owner is None:
                owner = self.partners[int(random() * len(self.partners))]
            audience = self.aud.owned[owner]
        now = self.now
        if deleted_share and random() < deleted_share:
            external_id = f"syn-{uuid[:16]}" if owner is not None else ""
            return (pk, uuid, now, now, visibility, owner, 2, external_id, now), audience, True
        if owner is None:
            return (pk, uuid, now, now, visibility, None, 1, "", None), audience, False
        return (pk, uuid, now, now, visibility, owner, 1, f"syn-{uuid[:16]}", None), audience, False

    def changed(self, resource: str, head: tuple, audience: int, dead: bool, deleted: bool):
        """The change rows of a new record: created, then deleted or hidden if it is."""
        level, owner = self.aud.columns[audience]
        now = self.now
        self.batch.changes.append((resource, head[1], CREATED, 1, now, level, owner, NONE, None))
        if dead:
            action = DELETED if deleted else UPDATED
            self.batch.late_changes.append(
                (resource, head[1], action, head[6], now, "none", None, level, owner)
            )

    # actors

    def actors(self) -> Batch:
        """The reporters and perpetrators of every country, and international bodies."""
        rng, tag = self.rng, self.tag
        rows = self.batch.rows[Actor]
        resource = RESOURCES[Actor]

        def add(name, kind, country="", parent=None, role="", description=""):
            head, audience, _ = self.head(Actor, None)
            if kind in ("un_mechanism", "intergovernmental", "media") or parent is not None:
                # Bodies everyone quotes, and people in public roles, are public.
                head = (*head[:4], Visibility.PUBLIC.value, None, 1, "", None)
                audience = self.aud.public
            rows.append(
                (*head, f"{name} (synthetic {tag})", kind, country, parent, role, description)
            )
            self.changed(resource, head, audience, False, False)
            return head[0], f"{name}"

        def reporter(pk_name, kind, spanish):
            return Reporter.of(*pk_name, kind, spanish)

        for country in COUNTRIES:
            c, es = country.code, country.es
            if country.spanish:
                ngo_names = (
                    f"Observatorio de Derechos Humanos de {es}",
                    f"Comité de Familiares de Presos Políticos de {es}",
                    f"Foro Jurídico de {es}",
                )
                state = (f"Ministerio Público de {es}", f"Ministerio del Interior de {es}")
                forces = (
                    f"Policía Nacional de {es}",
                    f"Guardia Nacional de {es}",
                    f"Servicio de Inteligencia de {es}",
                )
                media = (f"Diario de {country.cities[0]}", f"Radio {es} Libre")
            else:
                en = country.en
                ngo_names = (
                    f"{en} Human Rights Monitor",
                    f"Committee for Political Prisoners in {en}",
                    f"{en} Legal Aid Network",
                )
                state = (
                    f"Prosecutor General's Office of {en}",
                    f"Ministry of Internal Affairs of {en}",
                )
                forces = (f"{en} State Security Service", f"{en} Riot Police", f"{en} Border Guard")
                media = (f"{country.cities[0]} Daily", f"{en} Independent News")
            pool = {"ngo": [], "state_body": [], "media": [], "person": []}
            for name in ngo_names:
                pool["ngo"].append(
                    reporter(
                        add(name, "ngo", c, description=f"Documents detentions in {country.en}."),
                        "ngo",
                        country.spanish,
                    )
                )
            director = add(
                country.people[int(rng.random() * len(country.people))],
                "person",
                c,
                parent=pool["ngo"][0].actor_id,
                role="director" if not country.spanish else "directora ejecutiva",
            )
            pool["person"].append(reporter(director, "person", country.spanish))
            for name in state:
                pool["state_body"].append(
                    reporter(add(name, "state_body", c), "state_body", country.spanish)
                )
            self.perpetrators[c] = [add(name, "security_force", c)[0] for name in forces]
            self.perpetrators[c] += [r.actor_id for r in pool["state_body"]]
            for name in media:
                pool["media"].append(reporter(add(name, "media", c), "media", country.spanish))
            self.actors_by_country[c] = pool
        for name, kind in (
            ("UN Working Group on Arbitrary Detention", "un_mechanism"),
            ("UN Office of the High Commissioner for Human Rights", "un_mechanism"),
            ("Inter-American Commission on Human Rights", "intergovernmental"),
            ("International Detention Monitor", "ngo"),
        ):
            self.international.append(reporter(add(name, kind), kind, False))
        batch, self.batch = self.batch, Batch()
        return batch

    # the plan: trees of incidents, and how many figures and allegations each gets

    def plan(self) -> list[list[tuple[int, int, int]]]:
        """Trees of (depth, figures, allegations) per incident, parents first."""
        rng = self.rng
        sizes, left = [], self.n_incidents
        while left > 0:
            size = min(left, 2 + int(rng.random() * 10))
            sizes.append(size)
            left -= size
        depths, weights, a_weights = [], [], []
        for size in sizes:
            tree = [0]
            for i in range(1, size):
                # Children of the crackdown, now and then a grandchild under one of them.
                tree.append(2 if i > 2 and rng.random() < 0.2 else 1)
            depths.append(tree)
            for depth in tree:
                weights.append((0.5 + rng.random()) * (2.0 if depth == 0 else 1.0))
                a_weights.append(0.5 + rng.random())
        figures = split(self.n_figures, weights) if weights else []
        allegations = split(self.n_allegations, a_weights) if weights else []
        trees, i = [], 0
        for tree in depths:
            trees.append([(d, figures[i + k], allegations[i + k]) for k, d in enumerate(tree)])
            i += len(tree)
        return trees

    def batches(self) -> Iterator[Batch]:
        """Batches of whole episodes, each about ``batch_size`` figures or more."""
        for plan in self.plan():
            for _ in self.tree(plan):
                yield self._take()
        if any(self.batch.rows[m] for m in ORDER) or self.batch.changes:
            yield self._take()

    def _take(self) -> Batch:
        batch, self.batch = self.batch, Batch()
        return batch

    # one tree: a crackdown, its children, their groups, then their figures

    def tree(self, plan: list[tuple[int, int, int]]) -> Iterator[None]:
        """Generate one tree; yields whenever the batch is full (between episodes)."""
        rng = self.rng
        country = COUNTRIES[int(rng.random() * len(COUNTRIES))]
        owner = (
            self.partners[int(rng.random() * len(self.partners))]
            if self.partners and rng.random() < PARTNER_OWNED_TREES
            else None
        )
        topic = TOPICS[int(rng.random() * len(TOPICS))]
        start = START + int(rng.random() * (LATEST - START - 120))
        ongoing = rng.random() < 0.35
        end = None if ongoing else min(LATEST, start + 30 + int(rng.random() * 400))
        incidents = []
        for depth, n_figures, n_allegations in plan:
            if depth == 0:
                parent = None
            elif depth == 1 or len(incidents) < 2:
                parent = incidents[0]
            else:
                parent = incidents[1 + int(rng.random() * (len(incidents) - 1))]
            incidents.append(
                self.incident(country, owner, topic, parent, start, end, n_figures, n_allegations)
            )
        overview = self.overview(country, owner, incidents)
        for incident in incidents:
            self.incident_citations(owner, incident, overview)
        self.finish_statement(overview)
        for incident in incidents:
            episodes = max(
                1, math.ceil(max(incident["figures"], incident["allegations"]) / EPISODE)
            )
            figures = split(incident["figures"], [1.0] * episodes)
            allegations = split(incident["allegations"], [1.0] * episodes)
            for f, a in zip(figures, allegations, strict=True):
                self.episode(country, owner, incident, f, a)
                if self.batch.figures >= self.batch_size:
                    yield None

    def incident(self, country, owner, topic, parent, start, end, n_figures, n_allegations):
        rng = self.rng
        spanish = country.spanish and rng.random() < 0.6
        city = country.cities[int(rng.random() * len(country.cities))]
        site = country.sites[int(rng.random() * len(country.sites))]
        who = WHO[int(rng.random() * len(WHO))]
        fill = {
            "en": country.en,
            "es": country.es,
            "city": city,
            "site": site,
            "who": who[spanish],
            "topic": topic[spanish],
        }
        if parent is None:
            kind = IncidentKind.CRACKDOWN
            title = TOP_TITLES[int(rng.random() * len(TOP_TITLES))][spanish].format(**fill)
            title = f"{title} ({date.fromordinal(start).year})"
            first, last = start, end
            location = country.es if spanish else country.en
        else:
            kind = weighted(rng, CHILD_KINDS)
            options = CHILD_TITLES[kind]
            title = options[int(rng.random() * len(options))][spanish].format(**fill)
            span = (parent["end"] or min(LATEST, parent["start"] + 365)) - parent["start"]
            first = parent["start"] + int(rng.random() * max(1, span - 10))
            last = None
            if parent["end"] is not None or rng.random() < 0.7:
                last = first + int(rng.random() * 60)
                if parent["end"] is not None:
                    last = min(last, parent["end"])
            location = (
                f"{site}, {city}" if kind in (IncidentKind.RELEASE, IncidentKind.OTHER) else city
            )
        summary = SUMMARIES[int(rng.random() * len(SUMMARIES))][spanish].format(**fill)
        start_precision, start_day = self.precise(first)
        end_precision, end_day = DatePrecision.EXACT.value, last
        if last is not None:
            end_precision, end_day = self.precise(last)
            if end_day < start_day:
                end_precision, end_day = DatePrecision.EXACT.value, last
        # An incident is not contained in its parent (access rules): its own audience.
        head, audience, _ = self.head(Incident, owner)
        self.batch.rows[Incident].append(
            (
                *head,
                title,
                kind.value,
                summary,
                country.code,
                location,
                self.iso(start_day),
                start_precision,
                self.iso(end_day) if end_day is not None else None,
                end_precision,
                parent["id"] if parent else None,
            )
        )
        self.changed(RESOURCES[Incident], head, audience, False, False)
        incident = {
            "id": head[0],
            "title": title,
            "spanish": spanish,
            "city": city,
            "site": site,
            "start": first,
            "end": last,
            "audience": audience,
            "dead": False,
            "figures": n_figures,
            "allegations": n_allegations,
            "kind": kind,
            "scale": (200 + int(rng.random() * 3000))
            if parent is None
            else 20 + int(rng.random() * 600),
        }
        incident["groups"] = self.groups(country, owner, incident)
        return incident

    def precise(self, day: int) -> tuple[str, int]:
        """A date as a source would give it: mostly the day, sometimes the month or year."""
        r = self.rng.random()
        if r < 0.75:
            return DatePrecision.EXACT.value, day
        if r < 0.88:
            return DatePrecision.APPROXIMATE.value, day
        d = date.fromordinal(day)
        if r < 0.97:
            return DatePrecision.MONTH.value, d.replace(day=1).toordinal()
        return DatePrecision.YEAR.value, d.replace(month=1, day=1).toordinal()

    def groups(self, country, owner, incident) -> list[dict]:
        rng = self.rng
        count = min(len(GROUPS), int(rng.random() * 5))
        chosen = rng.sample(range(len(GROUPS)), count)
        rows, groups = self.batch.rows[DetaineeGroup], []
        for index in chosen:
            kind = GROUPS[index]
            spanish = incident["spanish"]
            label = kind.label[spanish]
            nationality = ""
            if kind.citizenship == Citizenship.FOREIGN:
                others = [c for c in COUNTRIES if c.code != country.code]
                nationality = others[int(rng.random() * len(others))].code
            head, own, deleted = self.head(DetaineeGroup, owner, DELETED_SHARE["group"])
            audience = self.aud.within[own][incident["audience"]]
            dead = deleted or incident["dead"]
            description = (
                f"{kind.label[0].capitalize()} detained in {incident['city']} and held at "
                f"{incident['site']}."
            )
            rows.append(
                (
                    *head,
                    incident["id"],
                    label,
                    kind.age_min,
                    kind.age_max,
                    kind.sex.value,
                    kind.citizenship.value,
                    nationality,
                    kind.affiliation.value,
                    kind.charges[spanish] if rng.random() < 0.6 else "",
                    description,
                )
            )
            self.changed(RESOURCES[DetaineeGroup], head, audience, dead, deleted)
            groups.append(
                {
                    "id": head[0],
                    "label": label,
                    "who": kind.who,
                    "audience": audience,
                    "dead": dead,
                    "scale": max(3, int(kind.scale * (0.3 + rng.random() * 1.4))),
                }
            )
        return groups

    # statements (sources)

    def statement(self, reporter: Reporter, owner, day: int, title: str) -> Statement:
        head, audience, _ = self.head(Source, owner)
        return Statement(head[0], head[1], reporter, day, head, audience, False, [title])

    def finish_statement(self, st: Statement, reported_in: int | None = None) -> None:
        """Write a statement as a source row, its text made of its sentences."""
        rng, reporter = self.rng, st.reporter
        kind = reporter.source_kinds[int(rng.random() * len(reporter.source_kinds))]
        url = ""
        if rng.random() < 0.7:
            url = f"https://example.org/synthetic/{self.tag}/{st.uuid}"
        paragraphs = [" ".join(st.sentences[i : i + 4]) for i in range(1, len(st.sentences), 4)]
        text = "\n\n".join([st.sentences[0], *paragraphs])
        self.batch.rows[Source].append(
            (
                *st.head,
                kind.value,
                st.sentences[0],
                reporter.actor_id,
                reported_in,
                self.iso(st.day),
                DatePrecision.EXACT.value,
                url,
                "es" if reporter.spanish else "en",
                text,
            )
        )
        self.changed(RESOURCES[Source], st.head, st.audience, False, False)

    def overview(self, country, owner, incidents) -> Statement:
        """A news article on the crackdown, which the incidents and groups cite."""
        rng = self.rng
        pool = self.actors_by_country[country.code]
        reporter = pool["media"][int(rng.random() * len(pool["media"]))]
        top = incidents[0]
        spanish = reporter.spanish
        title = f"{'Cronología' if spanish else 'Timeline'}: {top['title']}"
        return self.statement(reporter, owner, top["start"] + int(rng.random() * 20), title)

    def citation(
        self,
        owner,
        source: Statement,
        quote: str,
        stance: str,
        target: int,
        target_id: int,
        target_audience: int,
        target_dead: bool,
        deleted_share: float = 0.0,
    ) -> None:
        """A citation of one record: ``target`` is TO_INCIDENT, TO_GROUP, ... (field order)."""
        head, own, deleted = self.head(Citation, owner, deleted_share)
        within = self.aud.within
        audience = within[within[own][source.audience]][target_audience]
        ids = [None, None, None, None]
        ids[target] = target_id
        self.batch.rows[Citation].append((*head, source.source_id, quote, stance, "", *ids))
        self.changed(CITATIONS, head, audience, deleted or target_dead, deleted)

    def incident_citations(self, owner, incident, overview: Statement) -> None:
        rng = self.rng
        spanish = overview.reporter.spanish
        sentence = f"{incident['title']}."
        overview.sentences.append(sentence)
        self.citation(
            owner,
            overview,
            incident["title"],
            Stance.ASSERTS.value,
            TO_INCIDENT,
            incident["id"],
            incident["audience"],
            incident["dead"],
        )
        for group in incident["groups"]:
            if rng.random() < 0.5:
                continue
            quote = (
                f"Entre los detenidos hay {group['label']}"
                if spanish
                else f"Among those detained were {group['label']}"
            )
            overview.sentences.append(f"{quote}.")
            self.citation(
                owner,
                overview,
                quote,
                Stance.ASSERTS.value,
                TO_GROUP,
                group["id"],
                group["audience"],
                group["dead"],
            )

    # an episode: up to EPISODE figures of one incident, with their own statements

    def episode(self, country, owner, incident, n_figures: int, n_allegations: int) -> None:
        rng = self.rng
        pool = self.actors_by_country[country.code]
        candidates = (
            [*pool["ngo"], *pool["person"]] * 2
            + pool["state_body"]
            + pool["media"]
            + self.international
        )
        reporters: list[Reporter] = []
        while len(reporters) < 2 + int(rng.random() * 3):
            pick = candidates[int(rng.random() * len(candidates))]
            if pick not in reporters:
                reporters.append(pick)
        first = incident["start"]
        last = incident["end"] if incident["end"] is not None else min(LATEST, first + 180)
        span = max(21, last - first + 30)
        n_statements = max(len(reporters), math.ceil((n_figures + n_allegations) / 7))
        statements: list[Statement] = []
        for i in range(n_statements):
            reporter = reporters[i % len(reporters)]
            day = first + 1 + int(rng.random() * span)
            st = self.statement(reporter, owner, day, self.statement_title(reporter, incident, day))
            statements.append(st)
        statements.sort(key=lambda s: s.day)
        by_reporter: dict[int, list[Statement]] = {}
        for st in statements:
            by_reporter.setdefault(st.reporter.actor_id, []).append(st)
        if n_figures:
            self.figures(country, owner, incident, statements, by_reporter, n_figures)
        if n_allegations:
            self.allegations(country, owner, incident, statements, n_allegations)
        media = [s for s in statements if s.reporter.kind == "media"]
        for st in statements:
            # Now and then an NGO's statement reached us through a news article.
            reported_in = None
            if media and st.reporter.kind != "media" and rng.random() < 0.1:
                reported_in = media[int(rng.random() * len(media))].source_id
            self.finish_statement(st, reported_in)

    def statement_title(self, reporter: Reporter, incident, day: int) -> str:
        when = self.words_date(day, reporter.spanish)
        if reporter.spanish:
            return f"{reporter.name}: balance del {when} sobre {incident['title']}"
        return f"{reporter.name}: update of {when} on {incident['title']}"

    def figures(self, country, owner, incident, statements, by_reporter, count: int) -> None:
        """``count`` figures of an incident: series of counts, each told by several reporters.

        The hot loop of the generator, written for speed: plain strings, locals, and the
        asserting citation's row built inline.
        """
        rng, random, aud = self.rng, self.random, self.aud
        within, columns = aud.within, aud.columns
        groups = incident["groups"]
        candidates = [(None, m) for m in INCIDENT_MEASURES]
        candidates += [(g, m) for g in groups for m in GROUP_MEASURES]
        n_series = max(1, min(len(candidates), math.ceil(count / 8)))
        inc_id, inc_audience, inc_dead = incident["id"], incident["audience"], incident["dead"]
        series = []
        for group, measure in rng.sample(candidates, n_series):
            scale = group["scale"] if group else incident["scale"]
            scale = max(1, int(scale * SMALL_MEASURES.get(measure, 1.0)))
            # Half the series are kept by one reporter only: updates, never disputes.
            single = None
            if random() < 0.5:
                single = by_reporter[statements[int(random() * len(statements))].reporter.actor_id]
            who = group["who"] if group else ("people", "personas")
            series.append(
                (
                    group["id"] if group else None,
                    group["audience"] if group else 0,
                    group["dead"] if group else False,
                    measure.value,
                    scale,
                    single,
                    who,
                    MEASURE_SUFFIX[measure],
                )
            )
        first = incident["start"]
        length = max(30, (incident["end"] or first + 180) - first)
        batch = self.batch
        figure_rows, citation_rows = batch.rows[Figure], batch.rows[Citation]
        changes, late = batch.changes, batch.late_changes
        head_of, iso, words_date, now = self.head, self.iso, self.words_date, self.now
        deleted_share = DELETED_SHARE["figure"]
        site = incident["site"]
        n_statements = len(statements)
        for i in range(count):
            group_id, group_audience, group_dead, measure, scale, single, who, suffix = series[
                i % n_series
            ]
            if single is not None:
                st = single[int(random() * len(single))]
            else:
                st = statements[int(random() * n_statements)]
            reporter = st.reporter
            spanish = reporter.spanish
            as_of = st.day - int(random() * 4)
            t = (as_of - first) / length
            t = 0.0 if t < 0 else (1.5 if t > 1.5 else t)
            if measure == "detained":
                true = scale * (0.4 + 0.6 * min(1.0, t * 1.5))
            elif measure == "still_detained":
                true = scale * max(0.0, 1.0 - 0.8 * t)
            elif measure == "released":
                true = scale * min(1.0, 0.1 + 0.8 * t)
            elif measure == "charged":
                true = scale * 0.3 * min(1.0, t * 2)
            else:
                true = scale * min(1.0, 0.5 + t)
            value = min(MAX_VALUE, int(true * (reporter.low + reporter.spread * random())))
            q = bisect_right(reporter.qualifier_weights, random())
            qualifier = reporter.qualifier_values[q]
            value_low = value_high = None
            r = random()
            if r < 0.02:
                qualifier, row_value, kind = UNSPECIFIED, None, 1
            elif r < 0.05 and value > 10:
                qualifier, row_value, kind = APPROXIMATELY, None, 2
                value_low, value_high = int(value * 0.8), int(value * 1.2)
            else:
                row_value, kind = value, 0
                if r < 0.07 and value > 10:
                    value_low, value_high = int(value * 0.9), int(value * 1.1) + 1
            if kind == 0:
                number = f"{value:,}"
                if spanish:
                    number = number.replace(",", ".")
                phrase = f"{reporter.qualifier_words[q]}{number} {who[spanish]}{suffix[spanish]}"
            else:
                phrase = figure_phrase(spanish, kind, "", 0, value_low, value_high, who, suffix)
            lead = int(random() * 3)
            when = words_date(as_of, spanish)
            name = reporter.name
            if spanish:
                if lead == 0:
                    sentence = f"Al {when}, {name} contabilizó {phrase}."
                elif lead == 1:
                    sentence = f"{name} informó el {when} que había registrado {phrase}."
                else:
                    sentence = f"Según {name}, hasta el {when} había {phrase}."
            elif lead == 0:
                sentence = f"As of {when}, {name} counted {phrase}."
            elif lead == 1:
                sentence = f"{name} said on {when} that it had registered {phrase}."
            else:
                sentence = f"According to {name}, there were {phrase} by {when}."
            st.sentences.append(sentence)
            precision, day = EXACT, as_of
            r = random()
            if r < 0.25:
                precision = APPROXIMATE
            elif r < 0.3:
                precision = MONTH
                day = as_of - date.fromordinal(as_of).day + 1
            note = ""
            if random() < 0.1:
                note = FIGURE_NOTES[int(random() * len(FIGURE_NOTES))][spanish].format(
                    who=who[spanish], site=site
                )
            head, own, deleted = head_of(Figure, owner, deleted_share)
            audience = within[within[own][inc_audience]][group_audience]
            dead = deleted or inc_dead or group_dead
            figure_id, figure_uuid = head[0], head[1]
            figure_rows.append(
                (
                    *head,
                    inc_id,
                    group_id,
                    measure,
                    row_value,
                    value_low,
                    value_high,
                    qualifier,
                    iso(day),
                    precision,
                    note,
                )
            )
            level, level_owner = columns[audience]
            changes.append(
                ("figures", figure_uuid, CREATED, 1, now, level, level_owner, NONE, None)
            )
            if dead:
                late.append(
                    (
                        "figures",
                        figure_uuid,
                        DELETED if deleted else UPDATED,
                        head[6],
                        now,
                        NONE,
                        None,
                        level,
                        level_owner,
                    )
                )
            # The one asserting citation: the reporter's own words.
            chead, cown, _ = head_of(Citation, owner)
            caudience = within[within[cown][st.audience]][audience]
            citation_rows.append(
                (*chead, st.source_id, phrase, ASSERTS, "", None, None, figure_id, None)
            )
            level, level_owner = columns[caudience]
            changes.append((CITATIONS, chead[1], CREATED, 1, now, level, level_owner, NONE, None))
            if dead:
                late.append((CITATIONS, chead[1], UPDATED, 1, now, NONE, None, level, level_owner))
            if random() < SECOND_CITATION:
                other = statements[int(random() * n_statements)]
                responder = other.reporter
                if responder is reporter:
                    continue
                stance = responder.stance_values[bisect_right(responder.stance_weights, random())]
                ospanish = responder.spanish
                # The response quotes the figure in its own language.
                if ospanish != spanish:
                    ophrase = figure_phrase(
                        ospanish,
                        kind,
                        reporter.qualifier_words_other[q],
                        row_value,
                        value_low,
                        value_high,
                        who,
                        suffix,
                    )
                else:
                    ophrase = phrase
                sentence, quote = RESPONSES[stance][ospanish]
                other.sentences.append(sentence.format(issuer=responder.name, phrase=ophrase))
                self.citation(
                    owner,
                    other,
                    quote.format(phrase=ophrase),
                    stance,
                    TO_FIGURE,
                    figure_id,
                    audience,
                    dead,
                    DELETED_SHARE["citation"],
                )

    def allegations(self, country, owner, incident, statements, count: int) -> None:
        rng, aud = self.rng, self.aud
        within = aud.within
        accusers = [s for s in statements if s.reporter.kind != "state_body"] or statements
        officials = [s for s in statements if s.reporter.kind == "state_body"]
        perpetrators = self.perpetrators[country.code]
        rows = self.batch.rows[Allegation]
        methods_rows = self.batch.methods
        groups = incident["groups"]
        for _ in range(count):
            term_id, code, label, label_es = rng.choices(
                self.violations, cum_weights=self.violation_weights
            )[0]
            methods = []
            if code in WITH_METHODS and self.methods:
                methods = rng.sample(self.methods, min(len(self.methods), int(rng.random() * 4)))
            group = (
                groups[int(rng.random() * len(groups))] if groups and rng.random() < 0.7 else None
            )
            perpetrator = (
                perpetrators[int(rng.random() * len(perpetrators))] if rng.random() < 0.8 else None
            )
            status = weighted(rng, STATUSES)
            st = accusers[int(rng.random() * len(accusers))]
            spanish = st.reporter.spanish
            violation = (label_es if spanish else label).lower()
            who = group["who"][spanish] if group else ("detenidos" if spanish else "detainees")
            place = incident["site"] if rng.random() < 0.5 else incident["city"]
            method_words = ""
            if methods:
                names = [(m[3] if spanish else m[2]).lower() for m in methods]
                joined = ", ".join(names)
                method_words = f", incluidos {joined}" if spanish else f", including {joined}"
            sentence = ALLEGATION_WORDS[spanish].format(
                issuer=st.reporter.name,
                violation=violation,
                who=who,
                place=place,
                methods=method_words,
            )
            st.sentences.append(sentence)
            quote = sentence[len(st.reporter.name) + 1 : -1]
            summary = (
                f"{label} of {group['who'][0] if group else 'detainees'} at {place}"
                f"{', including ' + ', '.join(m[2].lower() for m in methods) if methods else ''}."
            )
            head, own, deleted = self.head(Allegation, owner, DELETED_SHARE["allegation"])
            audience = within[within[own][incident["audience"]]][group["audience"] if group else 0]
            dead = deleted or incident["dead"] or (group is not None and group["dead"])
            rows.append(
                (
                    *head,
                    incident["id"],
                    group["id"] if group else None,
                    term_id,
                    perpetrator,
                    status.value,
                    summary,
                )
            )
            methods_rows.extend((head[0], m[0]) for m in methods)
            self.changed(RESOURCES[Allegation], head, audience, dead, deleted)
            self.citation(owner, st, quote, ASSERTS, TO_ALLEGATION, head[0], audience, dead)
            stance = STATUS_RESPONSE.get(status)
            if stance is not None:
                pool = officials if stance in (Stance.DENIES, Stance.ACKNOWLEDGES) else accusers
                other = (pool or statements)[int(rng.random() * len(pool or statements))]
                if other is st:
                    continue
                ospanish = other.reporter.spanish
                oviolation = (label_es if ospanish else label).lower()
                words = ALLEGATION_RESPONSES[stance][ospanish].format(violation=oviolation)
                other.sentences.append(f"{other.reporter.name} {words}.")
                self.citation(
                    owner,
                    other,
                    words,
                    stance.value,
                    TO_ALLEGATION,
                    head[0],
                    audience,
                    dead,
                    DELETED_SHARE["citation"],
                )


# --- running ------------------------------------------------------------------------------


def existing_records() -> int:
    return sum(model.objects.count() for model in ORDER)


def run_tag(seed: int, existing: int) -> str:
    """What makes this run's names and URLs unique: the seed, and what was there before."""
    tag = str(seed) if existing == 0 else f"{seed}-{existing}"
    suffix = ""
    while Actor.objects.filter(name__endswith=f"(synthetic {tag}{suffix})").exists():
        suffix = f"{suffix}x"
    return tag + suffix


def synthetic_partners() -> list[int]:
    from incidents.writes.audit import audit_context

    ids = []
    with transaction.atomic(), audit_context(via="command", reason="generate_synthetic"):
        for name in PARTNER_NAMES:
            partner = Partner.objects.filter(name__iexact=name).first()
            if partner is None:
                partner = Partner.objects.create(
                    name=name, description="Owner of synthetic records (generate_synthetic)."
                )
            ids.append(partner.pk)
    return ids


def terms(vocabulary: str) -> list[tuple[int, str, str, str]]:
    return list(
        Term.objects.filter(vocabulary=vocabulary)
        .order_by("code")
        .values_list("pk", "code", "label", "label_es")
    )


class FastSQLite:
    """Per-connection SQLite settings for the run, put back afterwards.

    A large page cache (512 MB at most, used as needed) keeps the indexes in memory
    while random UUIDs are inserted into them; it is always on (except while a bulk
    load rebuilds its indexes: see ``small_sqlite_cache``). Unless ``durable``,
    ``synchronous=OFF`` also skips the fsyncs of each commit (batches and key
    reservations): if the program fails, SQLite still rolls the open batch back;
    only an OS crash or a power loss during the run could damage the file, which
    is the trade a throwaway benchmark database wants. Both apply to this
    connection only, never to other processes using the database.
    """

    def __init__(self, durable: bool):
        self.enabled = connection.vendor == "sqlite"
        self.pragmas = {"cache_size": -512_000}
        # SQLite refuses to change it inside a transaction (a caller's, or a test's).
        if not durable and not connection.in_atomic_block:
            self.pragmas["synchronous"] = 0
        self.saved: dict[str, object] = {}

    def __enter__(self):
        if self.enabled:
            with connection.cursor() as cursor:
                for name, value in self.pragmas.items():
                    cursor.execute(f"PRAGMA {name}")
                    self.saved[name] = cursor.fetchone()[0]
                    cursor.execute(f"PRAGMA {name} = {int(value)}")
        return self

    def __exit__(self, *exc):
        if self.enabled:
            with connection.cursor() as cursor:
                for name, value in self.saved.items():
                    cursor.execute(f"PRAGMA {name} = {int(value)}")


@contextmanager
def paused_gc():
    """No cyclic garbage collection while rows are built (a tenth of the building time).

    A batch holds hundreds of thousands of tuples, which every full collection walks
    through; the rows make no reference cycles, so there is nothing for it to find.
    Collection resumes afterwards, whatever happens.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def generate(
    *,
    incidents: int,
    figures: int,
    allegations: int,
    seed: int = 0,
    batch_size: int = 10_000,
    progress: Callable[[Batch], None] | None = None,
    durable: bool = False,
    bulk: bool | None = None,
    analyze: bool = True,
) -> Summary:
    """Add synthetic records to the database (see the module docstring).

    ``bulk``: load in one transaction with the secondary indexes and foreign keys set
    aside (``BulkLoad``); ``None`` lets ``wants_bulk`` decide. ``analyze``: on
    PostgreSQL, ``ANALYZE`` the tables written to afterwards, since rows added by
    ``COPY`` leave the planner without statistics until autovacuum (if on) gets to
    them.
    """
    if min(incidents, figures, allegations) < 0 or batch_size < 1:
        raise ValueError("Counts must not be negative, and batches must hold at least one figure.")
    if incidents == 0 and (figures or allegations):
        raise ValueError("Figures and allegations need at least one incident.")
    check_containers()
    started = time.perf_counter()
    existing = existing_records()
    tag = run_tag(seed, existing)
    rng = random.Random(seed if existing == 0 else f"{seed}+{existing}")
    uuid_rng = random.Random(rng.getrandbits(64))
    writer = Writer()
    partners = synthetic_partners()
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    generator = Generator(
        incidents=incidents,
        figures=figures,
        allegations=allegations,
        batch_size=batch_size,
        tag=tag,
        rng=rng,
        uuids=iter(UuidStream(uuid_rng)),
        reserve=writer.reserve,
        partners=partners,
        violations=terms(Vocabulary.VIOLATION),
        methods=terms(Vocabulary.METHOD),
        now=now,
    )
    if not generator.violations:
        raise RuntimeError("No violation terms: run `manage.py migrate` first.")
    if bulk is None:
        bulk = wants_bulk(figures, Figure.objects.count())
    counts = {RESOURCES[model]: 0 for model in ORDER}
    counts["changes"] = 0
    counts["methods"] = 0

    def write(batch: Batch) -> None:
        # A bulk load is one transaction already; otherwise each batch is one.
        with nullcontext() if bulk else transaction.atomic():
            for model in ORDER:
                writer.insert(model, batch.rows[model])
                counts[RESOURCES[model]] += len(batch.rows[model])
            writer.insert("methods", batch.methods)
            counts["methods"] += len(batch.methods)
            lock_feed()  # last, so it is held only for the feed's insert and the commit
            writer.insert(Change, batch.changes)
            writer.insert(Change, batch.late_changes)
            counts["changes"] += len(batch.changes) + len(batch.late_changes)
        if progress is not None:
            progress(batch)

    def batches() -> Iterator[Batch]:
        yield generator.actors()
        yield from generator.batches()

    last_incident = Incident._base_manager.aggregate(last=Max("pk"))["last"] or 0
    with paused_gc(), FastSQLite(durable), BulkLoad(writer) if bulk else nullcontext():
        for batch in batches():
            write(batch)
    # The rows bypass the write path, and so its contest state: build it for them.
    contested = time.perf_counter()
    with transaction.atomic():
        contest.rebuild(incident_after=last_incident)
    analysed = time.perf_counter()
    if analyze and writer.vendor == "postgresql":
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(quote(t) for t in bulk_tables())}")
    ended = time.perf_counter()
    return Summary(
        counts=counts,
        seconds=ended - started,
        tag=tag,
        bulk=bulk,
        analyze_seconds=ended - analysed if analyze and writer.vendor == "postgresql" else None,
        contest_seconds=analysed - contested,
    )
