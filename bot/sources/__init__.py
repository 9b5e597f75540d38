"""One module per kind of source; each turns its input into normalised `Article`s."""
