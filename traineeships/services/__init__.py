"""Writes after the letter: certificates and final grants, the Learning Agreement and its approvals."""
