"""The student's side of applications: account linking, drafts, declarations, documents, results."""
