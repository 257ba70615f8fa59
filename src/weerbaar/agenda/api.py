from ninja import Router

router = Router(tags=["kalender en herinneringen"])
