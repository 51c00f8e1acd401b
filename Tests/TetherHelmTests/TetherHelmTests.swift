// Tests for TetherHelm.
