// Tests for TetherTemplate.
