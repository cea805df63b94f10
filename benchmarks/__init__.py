"""Speed and memory of the board against floors measured in the same run (`make bench`)."""
