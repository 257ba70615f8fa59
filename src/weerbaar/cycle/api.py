from ninja import Router

router = Router(tags=["jaarplan en controles"])
