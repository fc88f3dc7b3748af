from ninja import NinjaAPI

api = NinjaAPI(title="Kizuna API", version="1", urls_namespace="api")
