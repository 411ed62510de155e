"""The API's routers: each parses input, calls one function of ``conductgraph.graph`` and
returns a :class:`~conductgraph.api.responses.DataResponse`."""
