from ninja import Router

router = Router(tags=["verklaring van toepasselijkheid (bio2)"])
