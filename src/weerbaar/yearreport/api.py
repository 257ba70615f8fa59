from ninja import Router

router = Router(tags=["jaarverslag integrale beveiliging"])
