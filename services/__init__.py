"""Business logic of Опора: one module per area, no Qt (DESIGN §3)."""
