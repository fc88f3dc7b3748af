"""Our xAPI vocabulary: each term's IRI resolves to a description of it."""

from django.http import Http404, HttpRequest, JsonResponse

from . import vocab


def xapi_vocab(request: HttpRequest, term: str) -> JsonResponse:
    """Describe one of our own xAPI terms as JSON-LD, in Japanese and English, so each IRI resolves."""
    found = vocab.OWN_TERMS.get(term.strip("/"))
    if found is None:
        raise Http404
    kind = found.path.split("/", 1)[0]
    rdf_type = {"verbs": "Verb", "extensions": "ContextExtension", "activity-types": "ActivityType"}[kind]
    data = {
        "@context": "https://w3id.org/xapi/profiles/context",
        "id": found.iri,
        "type": rdf_type,
        "inScheme": f"{request.build_absolute_uri('/')}xapi/vocab/",
        "prefLabel": {"ja": found.ja, "en": found.en},
        "definition": {"ja": found.ja, "en": found.en},
    }
    return JsonResponse(data, content_type="application/ld+json", json_dumps_params={"ensure_ascii": False})
