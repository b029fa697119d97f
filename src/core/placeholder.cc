// Placeholder so the library has a source until core/ lands.
