// Tests for TetherSOPS.
