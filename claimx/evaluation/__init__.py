"""Quality against gold, in flow order: `gold` (the claimx-gold v1 format), `runner` (claimx over a
gold file, or saved predictions read back), `scorer` (alignment and every figure)."""
