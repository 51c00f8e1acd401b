// TetherSOPS: SOPS files decrypted and encrypted natively: age and PGP key wrapping,
// AES-256-GCM values, the MAC, and the YAML, JSON, dotenv, INI and binary stores.
