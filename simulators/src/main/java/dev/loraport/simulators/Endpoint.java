package dev.loraport.simulators;

/**
 * A service operation, named neutrally so faults can target it on any simulator.
 *
 * @since 0.1
 */
public enum Endpoint {
    /** Getting an upload slot or uploading an image (Novita assets, ModelsLab base64_crop). */
    UPLOAD,
    /** The presigned PUT of image bytes (Novita only). */
    UPLOAD_PUT,
    /** Starting a training job. */
    CREATE,
    /** Reading one job. */
    STATUS,
    /** Listing jobs. */
    LIST,
    /** Cancelling a job. */
    CANCEL,
    /** Deleting a job. */
    DELETE,
    /** Starting a generation. */
    GENERATE,
    /** Reading a generation's result. */
    GENERATION_RESULT,
    /** Any endpoint. */
    ANY
}
