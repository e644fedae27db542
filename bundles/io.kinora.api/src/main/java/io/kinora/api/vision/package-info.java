/**
 * Classic (non-neural) computer vision on still pictures that models may use when it is installed: face detection
 * (to place characters whose position a scene does not give) and inpainting (to fill what a moving foreground
 * uncovers). Services of this package are optional for their consumers: a model must work without them and say so.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.kinora.api.vision;
