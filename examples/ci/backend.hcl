# Copy next to the estate's other .hcl files: its state then lives in PostgreSQL, shared by every
# operator and by CI, with one lock per workspace (docs/team-state.md). The connection string comes
# from PHOENIX_PG_CONN_STR (a CI secret), so no password sits in the repository.
backend "pg" {
  schema_name = "phoenix"
}
