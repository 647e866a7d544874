"""Reading: files and folders in every input form -> Article or Problem; cleaning and metadata."""
