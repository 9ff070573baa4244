"""Helpers shared by the API tests: credentials, and a mirror built from the change feed."""

RESOURCES = sorted(
    ["actors", "sources", "incidents", "detainee-groups", "figures", "allegations", "citations"]
)


def bearer(secret: str) -> dict:
    """Request headers carrying a partner's token."""
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def feed(client, headers, since="0", **params) -> dict:
    response = client.get("/api/v1/changes/", {"since": since, **params}, **headers)
    assert response.status_code == 200, response.json()
    return response.json()


def replay(client, headers, mirror: dict, cursor: str = "0", page_size: int = 1000) -> str:
    """Apply the feed after ``cursor`` to ``mirror`` ({(resource, id): version}).

    Returns the cursor to go on from.
    """
    while True:
        page = feed(client, headers, cursor, page_size=page_size)
        for change in page["results"]:
            key = (change["resource"], change["id"])
            if change["action"] == "deleted":
                mirror.pop(key, None)
            else:
                mirror[key] = change["version"]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return cursor


def shown(client, headers) -> dict:
    """Every record the list endpoints show this caller, with its version."""
    records = {}
    for resource in RESOURCES:
        url = f"/api/v1/{resource}/?page_size=500"
        while url:
            response = client.get(url, **headers)
            assert response.status_code == 200
            body = response.json()
            for record in body["results"]:
                records[(resource, record["id"])] = record["version"]
            url = body["next"]
    return records
