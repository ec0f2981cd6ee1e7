package org.ntkstudy.data;

/** The train and test splits of one dataset, as a reader returns them (before any subset). */
public record TrainTest(ImageSet train, ImageSet test) {}
