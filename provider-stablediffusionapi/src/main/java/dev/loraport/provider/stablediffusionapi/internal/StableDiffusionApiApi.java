package dev.loraport.provider.stablediffusionapi.internal;

import okhttp3.RequestBody;
import okhttp3.ResponseBody;
import retrofit2.Call;
import retrofit2.http.Body;
import retrofit2.http.POST;
import retrofit2.http.Path;
import retrofit2.http.Url;

/** ModelsLab's endpoints (shared/providers.md part B): every call a POST with the key in the JSON body. */
public interface StableDiffusionApiApi {

    /**
     * Starts a training job.
     *
     * @param endpoint {@code lora_fine_tune}, {@code fine_tune} or {@code fine_tune_v2}
     * @param body the job
     * @return the call
     */
    @POST("api/v3/{endpoint}")
    Call<ResponseBody> create(@Path("endpoint") String endpoint, @Body RequestBody body);

    /**
     * Reads one job.
     *
     * @param id the training id
     * @param body the key
     * @return the call
     */
    @POST("api/v3/fine_tune_status/{id}")
    Call<ResponseBody> status(@Path("id") String id, @Body RequestBody body);

    /**
     * Lists the account's trained model ids.
     *
     * @param body the key
     * @return the call
     */
    @POST("api/v3/finetune_list")
    Call<ResponseBody> list(@Body RequestBody body);

    /**
     * Cancels a job, under the spelling every client uses.
     *
     * @param id the training id
     * @param body the key
     * @return the call
     */
    @POST("api/v3/cancle_training/{id}")
    Call<ResponseBody> cancelMisspelt(@Path("id") String id, @Body RequestBody body);

    /**
     * Cancels a job, under the OpenAPI spelling.
     *
     * @param id the training id
     * @param body the key
     * @return the call
     */
    @POST("api/v3/cancel_training/{id}")
    Call<ResponseBody> cancel(@Path("id") String id, @Body RequestBody body);

    /**
     * Deletes a job's model.
     *
     * @param id the training id
     * @param body the key
     * @return the call
     */
    @POST("api/v3/finetune/delete/{id}")
    Call<ResponseBody> delete(@Path("id") String id, @Body RequestBody body);

    /**
     * Uploads one image as a data URI and returns its public link.
     *
     * @param body key, image, crop
     * @return the call
     */
    @POST("api/v3/base64_crop")
    Call<ResponseBody> crop(@Body RequestBody body);

    /**
     * Starts a generation.
     *
     * @param body the request
     * @return the call
     */
    @POST("api/v6/images/text2img")
    Call<ResponseBody> text2img(@Body RequestBody body);

    /**
     * Fetches a queued generation at the URL the service gave.
     *
     * @param url the fetch_result URL
     * @param body the key
     * @return the call
     */
    @POST
    Call<ResponseBody> fetch(@Url String url, @Body RequestBody body);
}
