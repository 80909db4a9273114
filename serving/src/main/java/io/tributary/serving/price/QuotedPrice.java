package io.tributary.serving.price;

/** A price as it applies to a request, with the version inference records cite. */
public record QuotedPrice(Price price, String version) {}
