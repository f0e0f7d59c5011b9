"""Team reports and the organisation overview: pages and charts, from scored survey data."""
