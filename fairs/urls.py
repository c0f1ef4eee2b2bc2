app_name = "fairs"
urlpatterns: list = []
