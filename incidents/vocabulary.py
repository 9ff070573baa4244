"""Controlled vocabularies seeded by a migration, mapped to HURIDOCS ESF codes.

Each term belongs to the "violation" or the "method" vocabulary. ``esf_code`` is the
12-digit code of the closest term in the HURIDOCS Events Standard Formats (ESF)
micro-thesauri: list 4 "Types of Acts" for violations, list 5 "Methods of Violence"
for methods. ``esf_label`` is that ESF term's English label, kept so a reviewer can
check the match. ``esf_code`` is None where ESF has no term that really fits; no
match is forced. ``parent`` is another term code of the same vocabulary, used only
where ESF nests the two terms the same way; parents come before their children.

Codes and labels are from the HURIDOCS Events Standard Formats micro-thesauri, as
distributed with OpenEvSys (github.com/huridocs/OpenEvSys). Rights in the ESF
micro-thesauri belong to HURIDOCS (Human Rights Information and Documentation
Systems). This module is plain data and must not import Django.
"""

VIOLATION = "violation"
METHOD = "method"

TERMS: tuple[dict, ...] = (
    # Violations: ESF list 4, Types of Acts.
    {
        "vocabulary": VIOLATION,
        "code": "arbitrary_detention",
        "label": "Arbitrary detention",
        "label_es": "Detención arbitraria",
        "parent": None,
        # ESF files this under "Direct actions which violate the right to liberty".
        "esf_code": "030102000000",
        "esf_label": "Detention, imprisonment",
        "description": (
            "Deprivation of liberty without a legal basis or in breach of the guarantees "
            "that make detention lawful, including detention for the peaceful exercise of rights."
        ),
    },
    {
        "vocabulary": VIOLATION,
        "code": "torture",
        "label": "Torture",
        "label_es": "Tortura",
        "parent": None,
        "esf_code": "020111110000",
        "esf_label": "Torture",
        "description": (
            "Intentional infliction of severe physical or mental pain or suffering by or with "
            "the acquiescence of a public official, for a purpose such as obtaining a "
            "confession or information, punishment, intimidation or discrimination."
        ),
    },
    {
        "vocabulary": VIOLATION,
        "code": "cruel_treatment",
        "label": "Cruel, inhuman or degrading treatment",
        "label_es": "Tratos crueles, inhumanos o degradantes",
        "parent": None,
        # List 4 has no ill-treatment term; "Denial of the right to treatment with
        # dignity and humanity" (360102010000) covers detainees only.
        "esf_code": None,
        "esf_label": None,
        "description": (
            "Ill-treatment that causes physical or mental suffering or humiliation but does "
            "not reach the severity or purpose required for torture."
        ),
    },
    {
        "vocabulary": VIOLATION,
        "code": "sexual_violence",
        "label": "Sexual violence",
        "label_es": "Violencia sexual",
        "parent": None,
        "esf_code": "020102000000",
        "esf_label": "Sexual violations",
        "description": (
            "Any act of a sexual nature committed by force or coercion, including rape, "
            "sexual assault and sexual humiliation."
        ),
    },
    {
        "vocabulary": VIOLATION,
        "code": "denial_of_due_process",
        "label": "Denial of due process",
        "label_es": "Denegación del debido proceso",
        "parent": None,
        "esf_code": "350100000000",
        "esf_label": "Direct actions which violate the rights of an accused person or suspect",
        "description": (
            "Breach of the procedural guarantees owed to a suspect or accused person, such as "
            "prompt notice of charges, access to a lawyer and a judge, and a fair, public trial."
        ),
    },
    {
        "vocabulary": VIOLATION,
        "code": "forced_confession",
        "label": "Forced confession",
        "label_es": "Confesión forzada",
        # ESF nests 350118000000 under 350100000000 (denial_of_due_process), not under torture.
        "parent": "denial_of_due_process",
        "esf_code": "350118000000",
        "esf_label": "Denial of the right to freedom from giving self-incriminating evidence",
        "description": (
            "A confession or other self-incriminating statement obtained through coercion, "
            "threats, torture or ill-treatment."
        ),
    },
    {
        "vocabulary": VIOLATION,
        "code": "fabricated_charges",
        "label": "Fabricated or politically motivated charges",
        "label_es": "Cargos fabricados o con motivación política",
        "parent": None,
        # No ESF term for fabricated or politically motivated prosecution.
        "esf_code": None,
        "esf_label": None,
        "description": (
            "Criminal charges based on invented evidence or brought to punish political "
            "opposition or the exercise of rights rather than to prosecute a genuine offence."
        ),
    },
    {
        "vocabulary": VIOLATION,
        "code": "enforced_disappearance",
        "label": "Enforced disappearance",
        "label_es": "Desaparición forzada",
        "parent": None,
        "esf_code": "030103000000",
        "esf_label": "Disappearance",
        "description": (
            "Deprivation of liberty by state agents or people acting with state support or "
            "acquiescence, followed by refusal to acknowledge it or to reveal the person's "
            "fate or whereabouts."
        ),
    },
    {
        "vocabulary": VIOLATION,
        "code": "extrajudicial_killing",
        "label": "Extrajudicial killing",
        "label_es": "Ejecución extrajudicial",
        "parent": None,
        "esf_code": "010101020000",
        "esf_label": "Extra-judicial execution outside any legal proceedings",
        "description": (
            "A deliberate killing by state agents, or with their support or acquiescence, "
            "without the authority of any judicial process."
        ),
    },
    {
        "vocabulary": VIOLATION,
        "code": "incommunicado_detention",
        "label": "Incommunicado detention",
        "label_es": "Detención en régimen de incomunicación",
        "parent": None,
        # No ESF term; "Denial of the right to communication with defence" (350113000000)
        # covers only the lawyer, and "Isolation" is a list 5 method.
        "esf_code": None,
        "esf_label": None,
        "description": (
            "Detention in which the person is denied all contact with family, lawyers, doctors "
            "or anyone else outside the place of detention."
        ),
    },
    {
        "vocabulary": VIOLATION,
        "code": "threats",
        "label": "Threats",
        "label_es": "Amenazas",
        "parent": None,
        # ESF codes death threats separately (020103020000); this term covers both.
        "esf_code": "020103010000",
        "esf_label": "Threats (not including death threats)",
        "description": (
            "Threats of violence or other harm made to intimidate, coerce or punish the victim."
        ),
    },
    # Methods: ESF list 5, Methods of Violence.
    {
        "vocabulary": METHOD,
        "code": "beating",
        "label": "Beating",
        "label_es": "Paliza, golpiza",
        "parent": None,
        "esf_code": "030100000000",
        "esf_label": "Beating",
        "description": (
            "Striking the body with hands, feet or objects such as sticks, batons, whips or "
            "rifle butts."
        ),
    },
    {
        "vocabulary": METHOD,
        "code": "suffocation",
        "label": "Suffocation",
        "label_es": "Asfixia",
        "parent": None,
        "esf_code": "030900000000",
        "esf_label": "Asphyxiation",
        "description": (
            "Deliberately preventing breathing, for example with a plastic bag over the head, "
            "by holding the head under water or by covering the nose and mouth."
        ),
    },
    {
        "vocabulary": METHOD,
        "code": "electric_shock",
        "label": "Electric shock",
        "label_es": "Aplicación de choques eléctricos",
        "parent": None,
        "esf_code": "030800000000",
        "esf_label": "Application of electric shock",
        "description": (
            "Applying electric current to the body, for example with electrodes, prods or "
            "stun devices."
        ),
    },
    {
        "vocabulary": METHOD,
        "code": "forced_nudity",
        "label": "Forced nudity",
        "label_es": "Desnudez forzada",
        "parent": None,
        "esf_code": "032102000000",
        "esf_label": "Nakedness as a form of degradation",
        "description": "Forcing a person to undress or to stay naked, to humiliate or intimidate.",
    },
    {
        "vocabulary": METHOD,
        "code": "sexual_touching",
        "label": "Sexual touching or groping",
        "label_es": "Tocamientos sexuales",
        "parent": None,
        "esf_code": "030604000000",
        "esf_label": "Touching as a form of sexual harassment and molestation",
        "description": (
            "Touching, groping or fondling a person's body in a sexual way without consent, "
            "short of rape."
        ),
    },
    {
        "vocabulary": METHOD,
        "code": "recorded_confession",
        "label": "Recorded forced confession",
        "label_es": "Confesión forzada grabada",
        "parent": None,
        # List 5 has no confession term; list 4 has only the right against self-incrimination.
        "esf_code": None,
        "esf_label": None,
        "description": (
            "Filming or recording a coerced confession or statement, often for broadcast or "
            "publication."
        ),
    },
    {
        "vocabulary": METHOD,
        "code": "isolation",
        "label": "Isolation",
        "label_es": "Aislamiento",
        "parent": None,
        "esf_code": "031800000000",
        "esf_label": "Isolation",
        "description": (
            "Holding a person alone, cut off from contact with other people, for a prolonged "
            "period (solitary confinement)."
        ),
    },
    {
        "vocabulary": METHOD,
        "code": "threats_to_family",
        "label": "Threats to family",
        "label_es": "Amenazas a familiares",
        "parent": None,
        # ESF codes death threats against the family separately (032302000000).
        "esf_code": "032202000000",
        "esf_label": "Threats against the victim's family",
        "description": (
            "Threatening to harm, arrest or otherwise target the victim's relatives in order "
            "to coerce or punish the victim."
        ),
    },
    {
        "vocabulary": METHOD,
        "code": "denial_of_medical_care",
        "label": "Denial of medical care",
        "label_es": "Privación de atención médica necesaria",
        "parent": None,
        "esf_code": "031503000000",
        "esf_label": "Deprived of needed medical attention",
        "description": (
            "Withholding medical examination or treatment that a person needs, typically while "
            "in custody."
        ),
    },
    {
        "vocabulary": METHOD,
        "code": "mock_execution",
        "label": "Mock execution",
        "label_es": "Simulacro de ejecución",
        "parent": None,
        # Broader ESF term: list 5 has no mock-execution term.
        "esf_code": "032000000000",
        "esf_label": "Psychological torture and ill-treatment",
        "description": (
            "Staging an execution, for example by aiming or firing a weapon, so the victim "
            "believes they are about to be killed."
        ),
    },
)
