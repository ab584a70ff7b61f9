"""The REST/JSON edge: routes from the protos' google.api.http annotations, served by
Starlette on uvicorn in the gRPC server's event loop (see app.py)."""
