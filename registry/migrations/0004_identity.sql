-- The registry's own keys, made on first start: Ed25519 signs what HQ sends to offices (USB return
-- packages), X25519 receives what offices seal for HQ (office packages, data-key recovery wraps).
-- One row. The private keys are as safe as this database: back it up and guard it like it.
CREATE TABLE registry_identity (
  id text PRIMARY KEY,
  singleton boolean NOT NULL DEFAULT true UNIQUE CHECK (singleton),
  signing_public_key text NOT NULL,
  signing_private_key text NOT NULL,
  encryption_public_key text NOT NULL,
  encryption_private_key text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
