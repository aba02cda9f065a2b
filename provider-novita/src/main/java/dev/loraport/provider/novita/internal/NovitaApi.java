package dev.loraport.provider.novita.internal;

import okhttp3.RequestBody;
import okhttp3.ResponseBody;
import retrofit2.Call;
import retrofit2.http.Body;
import retrofit2.http.GET;
import retrofit2.http.POST;
import retrofit2.http.Path;
import retrofit2.http.Query;

/** Novita's v3 endpoints (shared/providers.md part A). Bodies stay raw so every quirk is read by hand. */
public interface NovitaApi {

    /**
     * Asks for one presigned upload URL.
     *
     * @param body {@code {"file_extension": "png"}}
     * @return the call
     */
    @POST("v3/assets/training_dataset")
    Call<ResponseBody> assetUrl(@Body RequestBody body);

    /**
     * Starts a training job.
     *
     * @param kind {@code subject} or {@code style}
     * @param body the job
     * @return the call
     */
    @POST("v3/training/{kind}")
    Call<ResponseBody> create(@Path("kind") String kind, @Body RequestBody body);

    /**
     * Reads one job.
     *
     * @param kind {@code subject} or {@code style}
     * @param taskId the job id
     * @return the call
     */
    @GET("v3/training/{kind}")
    Call<ResponseBody> status(@Path("kind") String kind, @Query("task_id") String taskId);

    /**
     * Lists jobs.
     *
     * @param limit 1..100
     * @param cursor the previous page's next_cursor, or empty
     * @return the call
     */
    @GET("v3/training")
    Call<ResponseBody> list(@Query("pagination.limit") int limit, @Query("pagination.cursor") String cursor);

    /**
     * Starts an async generation.
     *
     * @param mode {@code txt2img} or {@code img2img}
     * @param body the request
     * @return the call
     */
    @POST("v3/async/{mode}")
    Call<ResponseBody> generate(@Path("mode") String mode, @Body RequestBody body);

    /**
     * Reads an async generation.
     *
     * @param taskId the generation task id
     * @return the call
     */
    @GET("v3/async/task-result")
    Call<ResponseBody> taskResult(@Query("task_id") String taskId);
}
