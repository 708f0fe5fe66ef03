"""Downloads of what a list page shows, as CSV or XLSX; a long list is written by the task
worker while a page shows how far it has come. Domain apps describe their lists (`Listing`);
this app knows none of them."""
