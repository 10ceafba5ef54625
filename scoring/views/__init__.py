"""The search app's views, one module per idea: the search page and a card's details
(`search`), the candidate/city/vocabulary typeaheads (`typeaheads`), the CSV export
(`csv_export`) and the static pages (`pages`). Views validate a form, call a selector, render.
"""
