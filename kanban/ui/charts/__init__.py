"""The Charts screen: the product's flow drawn with Qt Charts."""
