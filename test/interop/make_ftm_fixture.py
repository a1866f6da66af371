"""Writes test/fixtures/interop/ftm-library.ndjson: an FtM file made by the followthemoney library itself.

Run in the ftm3 venv (followthemoney 3.8.5):

    .venv/interop-ftm3/bin/python test/interop/make_ftm_fixture.py > test/fixtures/interop/ftm-library.ndjson

The entities are built as Aleph and OpenSanctions build theirs: model.make_entity, make_id (a SHA1 of the
seed words: the ids are the library's, not ours), add() for each property (the library cleans and checks
every value against its type). It covers what our importer maps (Person with birth date, gender, position
and topics; PublicBody and Organization; Membership with role and dates; Family and Associate; an Address
with coordinates; an Event with proof -> Article with publisher and bodyText; Documentation) and what it
does not (a Vessel, a Sanction, Person.nationality), so that the import's skipped report can be asserted.

The people, the event and the article are invented for the test; the agency is a real public body only so
that the data looks like the field's. Output is sorted JSON, one entity per line, so that running the
script again gives the same bytes (test/unit/ftm-import-library.test.ts checks it).
"""

import json
import sys

from followthemoney import model


def entity(schema, *seed, **props):
    """An entity of the schema with a library-made id and the properties added through the model."""
    proxy = model.make_entity(schema)
    proxy.make_id("hrkg-fixture", schema, *seed)
    for prop, values in props.items():
        for value in values if isinstance(values, list) else [values]:
            proxy.add(prop, value)
    return proxy


ARTICLE_TEXT = (
    "Release of detainees from Mezzeh. On 3 May 2022 the Air Force Intelligence Directorate released "
    "35 detainees held at Mezzeh military airport, Damascus, the Damascus Detainee Monitor said. "
    "Samir Haddad oversaw the release, according to two of the men released."
)

afi = entity(
    "PublicBody",
    "afi",
    name="Air Force Intelligence Directorate",
    alias="المخابرات الجوية",
    country="sy",
    topics="gov.security",
)
monitor = entity("Organization", "monitor", name="Damascus Detainee Monitor", country="sy")
samir = entity(
    "Person",
    "samir",
    name="Samir Haddad",
    alias="سمير حداد",
    birthDate="1961-03",
    gender="male",
    position="Head of the investigations branch",
    topics=["role.pep", "sanction"],
    nationality="sy",
    country="sy",
)
rami = entity("Person", "rami", name="Rami Haddad", birthDate="1990", gender="male", country="sy")
lina = entity("Person", "lina", name="Lina Saleh", gender="female", position="Lawyer")
membership = entity(
    "Membership",
    "samir",
    "afi",
    member=samir.id,
    organization=afi.id,
    role="Head of the investigations branch",
    startDate="2011-06",
    endDate="2018",
)
family = entity("Family", "samir", "rami", person=samir.id, relative=rami.id, relationship="son")
associate = entity("Associate", "lina", "samir", person=lina.id, associate=samir.id, relationship="lawyer")
airport = entity(
    "Address",
    "mezzeh",
    full="Mezzeh military airport, Damascus",
    city="Damascus",
    country="sy",
    latitude="33.4775",
    longitude="36.2236",
)
article = entity(
    "Article",
    "release",
    title="Detainees released from Mezzeh",
    bodyText=ARTICLE_TEXT,
    publisher="Damascus Detainee Monitor",
    publishedAt="2022-05-04",
    language="eng",
    sourceUrl="https://example.org/monitor/mezzeh-release",
)
event = entity(
    "Event",
    "release",
    name="Release of detainees from Mezzeh",
    date="2022-05-03",
    country="sy",
    organizer=afi.id,
    involved=samir.id,
    addressEntity=airport.id,
    proof=article.id,
)
# Documentation of the person by the article: its description is words of the article.
documented = entity(
    "Documentation",
    "release",
    "samir",
    document=article.id,
    entity=samir.id,
    role="named as overseeing the release",
    summary="The monitor names Samir Haddad as overseeing the release.",
    description="Samir Haddad oversaw the release",
    date="2022-05-04",
)
# Documentation whose words the article does not contain: its claim stays on the file's line.
background = entity(
    "Documentation",
    "release",
    "afi",
    document=article.id,
    entity=afi.id,
    role="background",
    summary="The directorate ran the airport's detention wing.",
)
# Schemata our importer does not map: reported as skipped, never a reason to refuse the file.
vessel = entity("Vessel", "boat", name="Lattakia Star", flag="sy", imoNumber="IMO9074729")
sanction = entity(
    "Sanction",
    "samir",
    "eu",
    entity=samir.id,
    authority="Council of the European Union",
    program="EU Syria sanctions",
    startDate="2012-05",
)

ENTITIES = [
    afi,
    monitor,
    samir,
    rami,
    lina,
    membership,
    family,
    associate,
    airport,
    article,
    event,
    documented,
    background,
    vessel,
    sanction,
]

for proxy in ENTITIES:
    sys.stdout.write(json.dumps(proxy.to_dict(), sort_keys=True, ensure_ascii=False) + "\n")
