"""Instruction: routing to reviewer groups, reviews, expert opinions, the committee."""
