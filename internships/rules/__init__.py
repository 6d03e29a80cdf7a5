"""Pure rules of the national internship programme: no Django, no clock (instants come in)."""
