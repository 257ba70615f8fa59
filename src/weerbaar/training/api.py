from ninja import Router

router = Router(tags=["opleiden, trainen, oefenen en testen"])
