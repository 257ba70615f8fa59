from ninja import Router

router = Router(tags=["zelfscan volwassenheid"])
