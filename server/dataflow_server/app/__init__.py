"""Use cases shared by every API edge (gRPC now, REST later): validate, then store or queue."""
