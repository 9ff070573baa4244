"""Seed the controlled vocabularies (violation types and methods).

The data is frozen here, as migrations must be; ``incidents/vocabulary.py``
documents each term's HURIDOCS ESF match. Existing terms with the same
vocabulary and code are updated, never duplicated.
"""

from django.db import migrations

TERMS = [
    {
        "vocabulary": "violation",
        "code": "arbitrary_detention",
        "label": "Arbitrary detention",
        "label_es": "Detención arbitraria",
        "parent": None,
        "esf_code": "030102000000",
        "description": "Deprivation of liberty without a legal basis or in breach of the guarantees "
        "that make detention lawful, including detention for the peaceful exercise of "
        "rights.",
    },
    {
        "vocabulary": "violation",
        "code": "torture",
        "label": "Torture",
        "label_es": "Tortura",
        "parent": None,
        "esf_code": "020111110000",
        "description": "Intentional infliction of severe physical or mental pain or suffering by or "
        "with the acquiescence of a public official, for a purpose such as obtaining "
        "a confession or information, punishment, intimidation or discrimination.",
    },
    {
        "vocabulary": "violation",
        "code": "cruel_treatment",
        "label": "Cruel, inhuman or degrading treatment",
        "label_es": "Tratos crueles, inhumanos o degradantes",
        "parent": None,
        "esf_code": None,
        "description": "Ill-treatment that causes physical or mental suffering or humiliation but "
        "does not reach the severity or purpose required for torture.",
    },
    {
        "vocabulary": "violation",
        "code": "sexual_violence",
        "label": "Sexual violence",
        "label_es": "Violencia sexual",
        "parent": None,
        "esf_code": "020102000000",
        "description": "Any act of a sexual nature committed by force or coercion, including rape, "
        "sexual assault and sexual humiliation.",
    },
    {
        "vocabulary": "violation",
        "code": "denial_of_due_process",
        "label": "Denial of due process",
        "label_es": "Denegación del debido proceso",
        "parent": None,
        "esf_code": "350100000000",
        "description": "Breach of the procedural guarantees owed to a suspect or accused person, "
        "such as prompt notice of charges, access to a lawyer and a judge, and a "
        "fair, public trial.",
    },
    {
        "vocabulary": "violation",
        "code": "forced_confession",
        "label": "Forced confession",
        "label_es": "Confesión forzada",
        "parent": "denial_of_due_process",
        "esf_code": "350118000000",
        "description": "A confession or other self-incriminating statement obtained through "
        "coercion, threats, torture or ill-treatment.",
    },
    {
        "vocabulary": "violation",
        "code": "fabricated_charges",
        "label": "Fabricated or politically motivated charges",
        "label_es": "Cargos fabricados o con motivación política",
        "parent": None,
        "esf_code": None,
        "description": "Criminal charges based on invented evidence or brought to punish political "
        "opposition or the exercise of rights rather than to prosecute a genuine "
        "offence.",
    },
    {
        "vocabulary": "violation",
        "code": "enforced_disappearance",
        "label": "Enforced disappearance",
        "label_es": "Desaparición forzada",
        "parent": None,
        "esf_code": "030103000000",
        "description": "Deprivation of liberty by state agents or people acting with state support "
        "or acquiescence, followed by refusal to acknowledge it or to reveal the "
        "person's fate or whereabouts.",
    },
    {
        "vocabulary": "violation",
        "code": "extrajudicial_killing",
        "label": "Extrajudicial killing",
        "label_es": "Ejecución extrajudicial",
        "parent": None,
        "esf_code": "010101020000",
        "description": "A deliberate killing by state agents, or with their support or acquiescence, "
        "without the authority of any judicial process.",
    },
    {
        "vocabulary": "violation",
        "code": "incommunicado_detention",
        "label": "Incommunicado detention",
        "label_es": "Detención en régimen de incomunicación",
        "parent": None,
        "esf_code": None,
        "description": "Detention in which the person is denied all contact with family, lawyers, "
        "doctors or anyone else outside the place of detention.",
    },
    {
        "vocabulary": "violation",
        "code": "threats",
        "label": "Threats",
        "label_es": "Amenazas",
        "parent": None,
        "esf_code": "020103010000",
        "description": "Threats of violence or other harm made to intimidate, coerce or punish the "
        "victim.",
    },
    {
        "vocabulary": "method",
        "code": "beating",
        "label": "Beating",
        "label_es": "Paliza, golpiza",
        "parent": None,
        "esf_code": "030100000000",
        "description": "Striking the body with hands, feet or objects such as sticks, batons, whips "
        "or rifle butts.",
    },
    {
        "vocabulary": "method",
        "code": "suffocation",
        "label": "Suffocation",
        "label_es": "Asfixia",
        "parent": None,
        "esf_code": "030900000000",
        "description": "Deliberately preventing breathing, for example with a plastic bag over the "
        "head, by holding the head under water or by covering the nose and mouth.",
    },
    {
        "vocabulary": "method",
        "code": "electric_shock",
        "label": "Electric shock",
        "label_es": "Aplicación de choques eléctricos",
        "parent": None,
        "esf_code": "030800000000",
        "description": "Applying electric current to the body, for example with electrodes, prods or "
        "stun devices.",
    },
    {
        "vocabulary": "method",
        "code": "forced_nudity",
        "label": "Forced nudity",
        "label_es": "Desnudez forzada",
        "parent": None,
        "esf_code": "032102000000",
        "description": "Forcing a person to undress or to stay naked, to humiliate or intimidate.",
    },
    {
        "vocabulary": "method",
        "code": "sexual_touching",
        "label": "Sexual touching or groping",
        "label_es": "Tocamientos sexuales",
        "parent": None,
        "esf_code": "030604000000",
        "description": "Touching, groping or fondling a person's body in a sexual way without "
        "consent, short of rape.",
    },
    {
        "vocabulary": "method",
        "code": "recorded_confession",
        "label": "Recorded forced confession",
        "label_es": "Confesión forzada grabada",
        "parent": None,
        "esf_code": None,
        "description": "Filming or recording a coerced confession or statement, often for broadcast "
        "or publication.",
    },
    {
        "vocabulary": "method",
        "code": "isolation",
        "label": "Isolation",
        "label_es": "Aislamiento",
        "parent": None,
        "esf_code": "031800000000",
        "description": "Holding a person alone, cut off from contact with other people, for a "
        "prolonged period (solitary confinement).",
    },
    {
        "vocabulary": "method",
        "code": "threats_to_family",
        "label": "Threats to family",
        "label_es": "Amenazas a familiares",
        "parent": None,
        "esf_code": "032202000000",
        "description": "Threatening to harm, arrest or otherwise target the victim's relatives in "
        "order to coerce or punish the victim.",
    },
    {
        "vocabulary": "method",
        "code": "denial_of_medical_care",
        "label": "Denial of medical care",
        "label_es": "Privación de atención médica necesaria",
        "parent": None,
        "esf_code": "031503000000",
        "description": "Withholding medical examination or treatment that a person needs, typically "
        "while in custody.",
    },
    {
        "vocabulary": "method",
        "code": "mock_execution",
        "label": "Mock execution",
        "label_es": "Simulacro de ejecución",
        "parent": None,
        "esf_code": "032000000000",
        "description": "Staging an execution, for example by aiming or firing a weapon, so the "
        "victim believes they are about to be killed.",
    },
]


def seed_terms(apps, schema_editor):
    Term = apps.get_model("incidents", "Term")
    by_code = {}
    for row in TERMS:
        fields = {k: v or "" for k, v in row.items() if k not in ("vocabulary", "code", "parent")}
        term, _ = Term.objects.update_or_create(
            vocabulary=row["vocabulary"], code=row["code"], defaults=fields
        )
        by_code[(row["vocabulary"], row["code"])] = term
    for row in TERMS:
        if row["parent"]:
            term = by_code[(row["vocabulary"], row["code"])]
            term.parent = by_code[(row["vocabulary"], row["parent"])]
            term.save(update_fields=["parent"])


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial")]

    operations = [migrations.RunPython(seed_terms, migrations.RunPython.noop)]
