"""Instruction: reviews and the committee's ranking (filled by the instruction work)."""
