"""Printouts (PDF, reportlab) and spreadsheets (openpyxl); no Qt, no sessions: DTOs in."""
