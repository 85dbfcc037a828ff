package io.jenkins.plugins.quire.container;

/**
 * Why: a run's image is missing locally and could not be pulled; the message is fixed:
 * {@code image '<name>' is not available locally and could not be pulled: <reason>}.
 */
public class ImageUnavailableException extends ContainerException {
    private static final long serialVersionUID = 1L;
    private final String image;

    public ImageUnavailableException(String image, String reason, Throwable cause) {
        super("image '" + image + "' is not available locally and could not be pulled: " + reason, cause);
        this.image = image;
    }

    /** The image name as the run asked for it. */
    public String image() {
        return image;
    }
}
