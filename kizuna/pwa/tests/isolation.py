# The icons are the same for everybody: their name is a file name, not partner data.
PUBLIC_ROUTES = {"pwa:icon"}


def partner_a_objects(cast: object) -> dict[str, object]:
    return {}
