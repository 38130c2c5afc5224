"""The artwork engine, free of the database: reading a designer's PDF (pages and boxes), fitting
text into a box, stamping an overlay onto the designer's pages, rendering page previews, and
the sample artwork the demo prints. `marketing_hub.services.artwork` and `.proofs` drive it."""
