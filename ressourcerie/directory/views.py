from django.http import HttpResponse


def near(request):
    return HttpResponse("")


map_view = departments_geojson = import_places = near


def place_detail(request, slug):
    return HttpResponse("")


report_error = place_detail
