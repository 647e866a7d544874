"""Language analysis: the spaCy model, amounts and exchange rates, dates, actors and the gazetteer."""
